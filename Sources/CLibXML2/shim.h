#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding.h would pull in the system ICU headers,
// which clash with Foundation's private ICU copy ('UErrorCode' has different definitions).
// dropdial never touches libxml2's ICU converter fields, so leave them out of the module.
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
