// C shim over libphonenumber's C++ API, so Swift can call it without C++ interop.
#include "dd_phone.h"

#include <phonenumbers/phonenumberutil.h>
#include <cstring>
#include <set>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" dd_phone_status dd_phone_normalize(const char *input, size_t len, const char *region,
                                              char *out, size_t out_cap) {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    std::string text(input, len);
    if (util->Parse(text, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
        return DD_PHONE_NOT_A_NUMBER;
    }
    if (!util->IsValidNumber(number)) {
        return DD_PHONE_INVALID;
    }
    std::string formatted;
    util->Format(number, PhoneNumberUtil::E164, &formatted);
    if (formatted.size() + 1 > out_cap) {
        return DD_PHONE_INVALID;
    }
    std::memcpy(out, formatted.c_str(), formatted.size() + 1);
    return DD_PHONE_OK;
}

extern "C" int dd_phone_region_supported(const char *region) {
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions.count(region) ? 1 : 0;
}
