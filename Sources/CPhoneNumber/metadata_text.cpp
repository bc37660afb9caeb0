// Line format (fields separated by one TAB; `~` is an absent string; `#` lines are comments):
//   region  ID  COUNTRY_CODE                                    starts a PhoneMetadata
//   s  FIELD  VALUE                                             a string field that is set
//   b  FIELD  0|1                                               a bool field that is set
//   d  TYPE  LENGTHS  LOCAL_ONLY_LENGTHS  PATTERN  EXAMPLE      a PhoneNumberDesc (lengths comma-separated)
//   f  n|i  PATTERN  FORMAT  NP_RULE  NP_OPTIONAL(~|0|1)  CARRIER_RULE  LEADING_DIGITS...
//                                                               a NumberFormat (national or intl)
// Fields appear in the order dump() writes them; parse() accepts any order within a region.
#include "metadata_text.h"

#include <cstdlib>
#include <sstream>
#include <vector>

using i18n::phonenumbers::NumberFormat;
using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;

namespace dd_metadata {
namespace {

struct DescField {
    const char *name;
    bool (PhoneMetadata::*has)() const;
    const PhoneNumberDesc &(PhoneMetadata::*get)() const;
    PhoneNumberDesc *(PhoneMetadata::*mutable_)();
};

#define DD_DESC(name) {#name, &PhoneMetadata::has_##name, &PhoneMetadata::name, &PhoneMetadata::mutable_##name}
const DescField kDescs[] = {
    DD_DESC(general_desc),   DD_DESC(fixed_line),     DD_DESC(mobile),
    DD_DESC(toll_free),      DD_DESC(premium_rate),   DD_DESC(shared_cost),
    DD_DESC(personal_number), DD_DESC(voip),          DD_DESC(pager),
    DD_DESC(uan),            DD_DESC(emergency),      DD_DESC(voicemail),
    DD_DESC(short_code),     DD_DESC(standard_rate),  DD_DESC(carrier_specific),
    DD_DESC(sms_services),   DD_DESC(no_international_dialling),
};
#undef DD_DESC

struct StringField {
    const char *name;
    bool (PhoneMetadata::*has)() const;
    const std::string &(PhoneMetadata::*get)() const;
};

// Read through member pointers; set through setString (protobuf's string setters are templates).
#define DD_STRING(name) {#name, &PhoneMetadata::has_##name, &PhoneMetadata::name}
const StringField kStrings[] = {
    DD_STRING(international_prefix), DD_STRING(preferred_international_prefix), DD_STRING(national_prefix),
    DD_STRING(preferred_extn_prefix), DD_STRING(national_prefix_for_parsing),
    DD_STRING(national_prefix_transform_rule), DD_STRING(leading_digits),
};
#undef DD_STRING

void setString(PhoneMetadata *m, const std::string &name, const std::string &value) {
    if (name == "international_prefix") m->set_international_prefix(value);
    else if (name == "preferred_international_prefix") m->set_preferred_international_prefix(value);
    else if (name == "national_prefix") m->set_national_prefix(value);
    else if (name == "preferred_extn_prefix") m->set_preferred_extn_prefix(value);
    else if (name == "national_prefix_for_parsing") m->set_national_prefix_for_parsing(value);
    else if (name == "national_prefix_transform_rule") m->set_national_prefix_transform_rule(value);
    else if (name == "leading_digits") m->set_leading_digits(value);
}

struct BoolField {
    const char *name;
    bool (PhoneMetadata::*has)() const;
    bool (PhoneMetadata::*get)() const;
    void (PhoneMetadata::*set)(bool);
};

#define DD_BOOL(name) {#name, &PhoneMetadata::has_##name, &PhoneMetadata::name, &PhoneMetadata::set_##name}
const BoolField kBools[] = {
    DD_BOOL(same_mobile_and_fixed_line_pattern), DD_BOOL(main_country_for_code),
    DD_BOOL(leading_zero_possible), DD_BOOL(mobile_number_portable_region),
};
#undef DD_BOOL

std::vector<std::string> split(const std::string &line) {
    std::vector<std::string> fields;
    size_t start = 0;
    while (true) {
        size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) return fields;
        start = tab + 1;
    }
}

bool parseLengths(const std::string &text, google::protobuf::RepeatedField<int32_t> *out) {
    size_t start = 0;
    while (start < text.size()) {
        size_t comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        char *end = nullptr;
        long value = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end != 0) return false;
        out->Add(static_cast<int32_t>(value));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return true;
}

std::string lengths(const google::protobuf::RepeatedField<int32_t> &values) {
    std::string out;
    for (int i = 0; i < values.size(); i++) {
        if (i) out += ',';
        out += std::to_string(values.Get(i));
    }
    return out;
}

std::string opt(bool has, const std::string &value) { return has ? value : "~"; }

void dumpFormat(std::ostringstream &out, char kind, const NumberFormat &f) {
    out << "f\t" << kind << '\t' << f.pattern() << '\t' << f.format() << '\t'
        << opt(f.has_national_prefix_formatting_rule(), f.national_prefix_formatting_rule()) << '\t'
        << (f.has_national_prefix_optional_when_formatting()
                ? (f.national_prefix_optional_when_formatting() ? "1" : "0")
                : "~")
        << '\t' << opt(f.has_domestic_carrier_code_formatting_rule(), f.domestic_carrier_code_formatting_rule());
    for (const std::string &leading : f.leading_digits_pattern()) out << '\t' << leading;
    out << '\n';
}

bool parseFormat(const std::vector<std::string> &fields, NumberFormat *f) {
    if (fields.size() < 7) return false;
    f->set_pattern(fields[2]);
    f->set_format(fields[3]);
    if (fields[4] != "~") f->set_national_prefix_formatting_rule(fields[4]);
    if (fields[5] == "0" || fields[5] == "1") f->set_national_prefix_optional_when_formatting(fields[5] == "1");
    else if (fields[5] != "~") return false;
    if (fields[6] != "~") f->set_domestic_carrier_code_formatting_rule(fields[6]);
    for (size_t i = 7; i < fields.size(); i++) f->add_leading_digits_pattern(fields[i]);
    return true;
}

}  // namespace

std::string dump(const PhoneMetadataCollection &collection) {
    std::ostringstream out;
    for (const PhoneMetadata &m : collection.metadata()) {
        out << "region\t" << m.id() << '\t' << m.country_code() << '\n';
        for (const StringField &s : kStrings) {
            if ((m.*s.has)()) out << "s\t" << s.name << '\t' << (m.*s.get)() << '\n';
        }
        for (const BoolField &b : kBools) {
            if ((m.*b.has)()) out << "b\t" << b.name << '\t' << ((m.*b.get)() ? 1 : 0) << '\n';
        }
        for (const DescField &d : kDescs) {
            if (!(m.*d.has)()) continue;
            const PhoneNumberDesc &desc = (m.*d.get)();
            out << "d\t" << d.name << '\t' << lengths(desc.possible_length()) << '\t'
                << lengths(desc.possible_length_local_only()) << '\t'
                << opt(desc.has_national_number_pattern(), desc.national_number_pattern()) << '\t'
                << opt(desc.has_example_number(), desc.example_number()) << '\n';
        }
        for (const NumberFormat &f : m.number_format()) dumpFormat(out, 'n', f);
        for (const NumberFormat &f : m.intl_number_format()) dumpFormat(out, 'i', f);
    }
    return out.str();
}

bool parse(const std::string &text, PhoneMetadataCollection *out, std::string *error) {
    PhoneMetadata *current = nullptr;
    size_t start = 0, number = 0;
    while (start < text.size()) {
        size_t newline = text.find('\n', start);
        std::string line = text.substr(start, newline == std::string::npos ? std::string::npos : newline - start);
        start = newline == std::string::npos ? text.size() : newline + 1;
        number++;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> f = split(line);
        bool ok = false;
        if (f[0] == "region" && f.size() == 3) {
            current = out->add_metadata();
            current->set_id(f[1]);
            current->set_country_code(std::atoi(f[2].c_str()));
            ok = current->country_code() > 0;
        } else if (current && f[0] == "s" && f.size() == 3) {
            for (const StringField &s : kStrings) {
                if (f[1] == s.name) { setString(current, f[1], f[2]); ok = true; }
            }
        } else if (current && f[0] == "b" && f.size() == 3 && (f[2] == "0" || f[2] == "1")) {
            for (const BoolField &b : kBools) {
                if (f[1] == b.name) { (current->*b.set)(f[2] == "1"); ok = true; }
            }
        } else if (current && f[0] == "d" && f.size() == 6) {
            for (const DescField &d : kDescs) {
                if (f[1] != d.name) continue;
                PhoneNumberDesc *desc = (current->*d.mutable_)();
                ok = parseLengths(f[2], desc->mutable_possible_length()) &&
                     parseLengths(f[3], desc->mutable_possible_length_local_only());
                if (f[4] != "~") desc->set_national_number_pattern(f[4]);
                if (f[5] != "~") desc->set_example_number(f[5]);
            }
        } else if (current && f[0] == "f" && (f[1] == "n" || f[1] == "i")) {
            ok = parseFormat(f, f[1] == "n" ? current->add_number_format() : current->add_intl_number_format());
        }
        if (!ok) {
            *error = "numbering metadata line " + std::to_string(number) + " does not parse: " + line.substr(0, 80);
            return false;
        }
    }
    return out->metadata_size() > 0;
}

}  // namespace dd_metadata
