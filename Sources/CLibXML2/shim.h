#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
