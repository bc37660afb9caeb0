// The numbering metadata dropdial carries, handed to libphonenumber in place of its own.
//
// Debian 12's libphonenumber compiled in metadata from 2022 (8.12.57). PhoneNumberUtil reads its
// metadata by calling i18n::phonenumbers::metadata_get()/metadata_size(), which the shared library
// exports and calls through its PLT; defining them here, in the binary, makes the dynamic linker
// bind the library's calls to these instead (ELF symbol interposition). The text comes from
// scripts/make_phone_metadata.py; it is parsed and serialized once, at PhoneNumberUtil's first use.
// dd_phone_metadata_version() and the tests prove at run time that the engine sees this data.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dd_phone.h"
#include "metadata_text.h"
#include "phone_metadata_data.h"

namespace {

const std::string &carriedBytes() {
    static const std::string *bytes = [] {
        i18n::phonenumbers::PhoneMetadataCollection collection;
        std::string error;
        if (!dd_metadata::parse(kDDPhoneMetadataText, &collection, &error)) {
            // The text is generated and tested; a parse failure is a build defect, not input.
            std::fprintf(stderr, "dropdial: carried %s\n", error.c_str());
            std::abort();
        }
        auto *out = new std::string();
        collection.SerializeToString(out);
        return out;
    }();
    return *bytes;
}

}  // namespace

namespace i18n {
namespace phonenumbers {

__attribute__((visibility("default"))) int metadata_size() { return static_cast<int>(carriedBytes().size()); }

__attribute__((visibility("default"))) const void *metadata_get() { return carriedBytes().data(); }

}  // namespace phonenumbers
}  // namespace i18n

extern "C" const char *dd_phone_metadata_version(void) { return DD_PHONE_METADATA_VERSION; }
