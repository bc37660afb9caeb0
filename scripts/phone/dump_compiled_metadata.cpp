// Dumps the numbering metadata compiled into the system's libphonenumber, in the text form
// dropdial carries (Sources/CPhoneNumber/metadata_text.cpp). Built by scripts/check_phone_metadata.sh.
#include <cstdio>

#include "metadata_text.h"

int main() {
    i18n::phonenumbers::PhoneMetadataCollection collection;
    if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size())) {
        std::fputs("the library's compiled-in metadata does not parse\n", stderr);
        return 1;
    }
    std::fputs(dd_metadata::dump(collection).c_str(), stdout);
    return 0;
}
