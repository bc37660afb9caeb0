// C shim over libphonenumber's C++ API, so Swift can call it without C++ interop.
//
// Fast path (dd_phone_normalize): libphonenumber costs tens of microseconds per number, almost all
// of it in ICU regular expressions. For the overwhelmingly common input — a North American number
// written with digits and the punctuation people type (`(415) 555-2671`, `+1 415-555-2671`,
// `415.555.2671`, `14155552671`) under a default region of country code 1 — the shim canonicalizes
// the digits itself and decides validity by replaying libphonenumber's own IsValidNumber algorithm
// (GetRegionCodeForNumber over the country code's regions, then GetNumberTypeHelper) on the SAME
// metadata libphonenumber reads (metadata_get(): the carried data, metadata_carried.cpp), with the
// patterns compiled by PCRE2 JIT.
// Everything else goes to libphonenumber unchanged (dd_phone_normalize_reference). The differential
// test (PhoneFastPathTests) compares the two on generated numbers in many formats and regions.
#include "dd_phone.h"
#include "metadata_text.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cstring>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" dd_phone_status dd_phone_normalize_reference(const char *input, size_t len, const char *region,
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

namespace {

/// One compiled pattern; full match (anchored both ends) or prefix match (lookingAt).
struct Regex {
    pcre2_code *code = nullptr;

    bool compile(const std::string &pattern, bool full) {
        int err = 0;
        PCRE2_SIZE offset = 0;
        uint32_t options = PCRE2_ANCHORED | (full ? PCRE2_ENDANCHORED : 0);
        code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &err, &offset,
                             nullptr);
        if (!code) return false;
        jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;  // else the interpreter matches
        return true;
    }

    bool jit = false;

    bool match(const char *s, size_t n, pcre2_match_data *md) const {
        auto subject = reinterpret_cast<PCRE2_SPTR>(s);
        return (jit ? pcre2_jit_match(code, subject, n, 0, 0, md, nullptr)
                    : pcre2_match(code, subject, n, 0, 0, md, nullptr)) >= 0;
    }
};

/// A PhoneNumberDesc as IsNumberMatchingDesc uses it.
struct Desc {
    std::vector<int> lengths;
    bool hasPattern = false;
    Regex pattern;

    bool load(const PhoneNumberDesc &d) {
        lengths.assign(d.possible_length().begin(), d.possible_length().end());
        hasPattern = !d.national_number_pattern().empty();
        return !hasPattern || pattern.compile(d.national_number_pattern(), true);
    }

    // PhoneNumberUtil::IsNumberMatchingDesc + RegexBasedMatcher::MatchNationalNumber (no prefix match).
    bool matches(const char *s, size_t n, pcre2_match_data *md) const {
        if (!lengths.empty() && std::find(lengths.begin(), lengths.end(), static_cast<int>(n)) == lengths.end()) {
            return false;
        }
        return hasPattern && pattern.match(s, n, md);
    }
};

struct Region {
    std::string id;
    bool hasLeadingDigits = false;
    Regex leadingDigits;
    Desc general, premium, tollFree, sharedCost, voip, personal, pager, uan, voicemail, fixedLine, mobile;
    bool sameMobileAndFixed = false;

    bool load(const PhoneMetadata &m) {
        id = m.id();
        hasLeadingDigits = m.has_leading_digits();
        if (hasLeadingDigits && !leadingDigits.compile(m.leading_digits(), false)) return false;
        sameMobileAndFixed = m.same_mobile_and_fixed_line_pattern();
        return general.load(m.general_desc()) && premium.load(m.premium_rate()) && tollFree.load(m.toll_free()) &&
               sharedCost.load(m.shared_cost()) && voip.load(m.voip()) && personal.load(m.personal_number()) &&
               pager.load(m.pager()) && uan.load(m.uan()) && voicemail.load(m.voicemail()) &&
               fixedLine.load(m.fixed_line()) && mobile.load(m.mobile());
    }

    // PhoneNumberUtil::GetNumberTypeHelper(...) != UNKNOWN.
    bool hasType(const char *s, size_t n, pcre2_match_data *md) const {
        if (!general.matches(s, n, md)) return false;
        if (premium.matches(s, n, md) || tollFree.matches(s, n, md) || sharedCost.matches(s, n, md) ||
            voip.matches(s, n, md) || personal.matches(s, n, md) || pager.matches(s, n, md) ||
            uan.matches(s, n, md) || voicemail.matches(s, n, md)) {
            return true;
        }
        if (fixedLine.matches(s, n, md)) return true;
        return !sameMobileAndFixed && mobile.matches(s, n, md);
    }
};

/// The regions of country calling code 1, in libphonenumber's order, and the default regions the
/// fast path may parse national numbers for.
struct NANP {
    bool ready = false;
    std::vector<std::unique_ptr<Region>> regions;
    std::set<std::string> defaultRegions;

    NANP() {
        const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
        PhoneMetadataCollection collection;
        if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size())) {
            return;
        }
        std::map<std::string, const PhoneMetadata *> byId;
        for (const PhoneMetadata &m : collection.metadata()) byId[m.id()] = &m;
        std::list<std::string> codes;
        util->GetRegionCodesForCountryCallingCode(1, &codes);
        for (const std::string &code : codes) {
            auto it = byId.find(code);
            if (it == byId.end() || it->second->country_code() != 1) return;
            auto region = std::make_unique<Region>();
            if (!region->load(*it->second)) return;
            const std::string &npfp = it->second->national_prefix_for_parsing();
            // A 10-digit national number starting 2-9 is left alone by national prefix stripping
            // when the prefix pattern is `1` or `1|([...]\d{6})$` (7-digit local numbers only).
            bool plainPrefix = npfp == "1" || (npfp.rfind("1|([", 0) == 0 && npfp.size() > 12 &&
                                               npfp.compare(npfp.size() - 8, 8, "]\\d{6})$") == 0 &&
                                               npfp.find('(', 4) == std::string::npos);
            if (plainPrefix && !it->second->has_national_prefix_transform_rule()) defaultRegions.insert(code);
            regions.push_back(std::move(region));
        }
        ready = !regions.empty();
    }

    // PhoneNumberUtil::IsValidNumber for country code 1 and national significant number `s`.
    bool isValid(const char *s, size_t n, pcre2_match_data *md) const {
        for (const auto &r : regions) {
            if (!r->hasLeadingDigits) {
                if (r->hasType(s, n, md)) return true;  // chosen, and IsValidNumberForRegion repeats this test
            } else if (r->leadingDigits.match(s, n, md)) {
                return r->hasType(s, n, md);
            }
        }
        return false;
    }

    // PhoneNumberUtil::GetRegionCodeForNumberFromRegionList for country code 1: the first region
    // whose leading digits start `s`, or, for one without them, whose number types `s` has.
    const Region *regionOf(const char *s, size_t n, pcre2_match_data *md) const {
        for (const auto &r : regions) {
            if (r->hasLeadingDigits) {
                if (r->leadingDigits.match(s, n, md)) return r.get();
            } else if (r->hasType(s, n, md)) {
                return r.get();
            }
        }
        return nullptr;
    }
};

const NANP &nanp() {
    static const NANP *instance = new NANP();
    return *instance;
}

struct MatchData {
    pcre2_match_data *md = pcre2_match_data_create(1, nullptr);
    ~MatchData() { pcre2_match_data_free(md); }
};

/// Canonicalizes the simple NANP spellings: an optional leading `+`, then digits mixed with
/// ` ()-.` only. Yields the 10-digit national number (first digit 2-9) for `NXXNXXXXXX`,
/// `1NXXNXXXXXX` (no plus) and `+1NXXNXXXXXX`; false for anything else (libphonenumber decides).
bool canonical(const char *input, size_t len, bool *plus, char national[10]) {
    size_t i = 0;
    *plus = false;
    if (len > 0 && input[0] == '+') {
        *plus = true;
        i = 1;
    }
    char digits[11];
    size_t count = 0;
    for (; i < len; i++) {
        char c = input[i];
        if (c >= '0' && c <= '9') {
            if (count == 11) return false;
            digits[count++] = c;
        } else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.') {
            return false;
        }
    }
    const char *nn;
    if (count == 11 && digits[0] == '1') {
        nn = digits + 1;
    } else if (count == 10 && !*plus) {
        nn = digits;
    } else {
        return false;
    }
    if (nn[0] < '2') return false;
    std::memcpy(national, nn, 10);
    return true;
}

}  // namespace

extern "C" dd_phone_status dd_phone_normalize(const char *input, size_t len, const char *region, char *out,
                                              size_t out_cap) {
    const NANP &n = nanp();
    bool plus = false;
    char national[10];
    if (n.ready && out_cap >= 13 && canonical(input, len, &plus, national) && n.defaultRegions.count(region)) {
        thread_local MatchData data;
        if (!n.isValid(national, 10, data.md)) return DD_PHONE_INVALID;
        out[0] = '+';
        out[1] = '1';
        std::memcpy(out + 2, national, 10);
        out[12] = 0;
        return DD_PHONE_OK;
    }
    return dd_phone_normalize_reference(input, len, region, out, out_cap);
}

extern "C" int dd_phone_fast_path_ready(void) { return nanp().ready ? 1 : 0; }

extern "C" int dd_phone_region_supported(const char *region) {
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions.count(region) ? 1 : 0;
}

extern "C" int dd_phone_region_of(const char *e164, char *out, size_t out_cap) {
    // +1 and ten digits, the first 2-9: the NANP matcher answers as libphonenumber would.
    const NANP &n = nanp();
    size_t len = std::strlen(e164);
    if (n.ready && len == 12 && e164[0] == '+' && e164[1] == '1' && e164[2] >= '2' &&
        std::all_of(e164 + 2, e164 + 12, [](char c) { return c >= '0' && c <= '9'; })) {
        thread_local MatchData data;
        const Region *r = n.regionOf(e164 + 2, 10, data.md);
        if (!r || r->id.size() + 1 > out_cap) return 0;
        std::memcpy(out, r->id.c_str(), r->id.size() + 1);
        return 1;
    }
    return dd_phone_region_of_reference(e164, out, out_cap);
}

extern "C" int dd_phone_region_of_reference(const char *e164, char *out, size_t out_cap) {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util->Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return 0;
    std::string region;
    util->GetRegionCodeForNumber(number, &region);
    if (region.empty() || region == "ZZ" || region == "001" || region.size() + 1 > out_cap) return 0;
    std::memcpy(out, region.c_str(), region.size() + 1);
    return 1;
}
