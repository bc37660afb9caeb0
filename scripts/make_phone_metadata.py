#!/usr/bin/env python3
"""Generate dropdial's numbering metadata from the `phonenumbers` PyPI package.

Debian 12's libphonenumber (8.12.57) carries numbering metadata from 2022, and numbers in ranges
opened since then (new NANP overlays such as 879, 235, 227, and newer ranges elsewhere) fail its
validation. dropdial keeps libphonenumber's engine and feeds it current metadata: this script
writes every region's metadata as text, the shim parses the text into libphonenumber's own
PhoneMetadataCollection at first use, and its `metadata_get()` hands that to PhoneNumberUtil in
place of the library's compiled-in copy. The zone map (scripts/make_prefix_timezones.py) comes
from the same release; a test holds the two versions together.

The text mirrors what libphonenumber's Java build tool (BuildMetadataFromXml) compiles into the
C++ library, so the C++ engine sees data in the shape it was written for:
  * format and rule strings use `$1` (the Python port writes `\\1`);
  * a number type the region does not have is present with possible length -1;
  * a type's possible lengths are left out when they equal the general description's;
  * booleans are written only when true.
scripts/check_phone_metadata.sh proves that: run on phonenumbers 8.12.57, this script writes
exactly what the Debian library's compiled-in metadata dumps to.

Writes Sources/CPhoneNumber/phone_metadata_data.h (a C++ raw string literal). Line format: see
Sources/CPhoneNumber/metadata_text.cpp.

Usage:  python3 scripts/make_phone_metadata.py [--out FILE]
Regenerate (and run make_prefix_timezones.py) whenever a new phonenumbers release is pinned in
scripts/setup; the README says when.
"""
import argparse
import os
import re

import phonenumbers
from phonenumbers import PhoneMetadata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "CPhoneNumber", "phone_metadata_data.h")

# PhoneMetadata's PhoneNumberDesc fields, in the order of their proto field numbers' use in dump().
NUMBER_TYPES = ["fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
                "voip", "pager", "uan"]
SHORT_ONLY = ["emergency"]
DESCS = ["general_desc"] + NUMBER_TYPES + ["emergency", "voicemail", "short_code", "standard_rate",
                                           "carrier_specific", "sms_services", "no_international_dialling"]
# Types the Java tool always writes for a main-metadata region (with length -1 when absent).
ALWAYS = set(NUMBER_TYPES) | {"voicemail", "no_international_dialling"}
STRINGS = ["international_prefix", "preferred_international_prefix", "national_prefix",
           "preferred_extn_prefix", "national_prefix_for_parsing", "national_prefix_transform_rule",
           "leading_digits"]
BOOLS = ["same_mobile_and_fixed_line_pattern", "main_country_for_code", "leading_zero_possible",
         "mobile_number_portable_region"]
GROUP = re.compile(r"\\(\d)")


def dollars(rule):
    """`\\1` group references (the Python port's spelling) back to libphonenumber's `$1`."""
    return None if rule is None else GROUP.sub(r"$\1", rule)


def check(text):
    assert "\t" not in text and "\n" not in text and text != "~", repr(text)
    return text


def opt(value):
    return "~" if value is None else check(value)


def lengths(values):
    return ",".join(str(v) for v in values)


def desc_line(name, desc, general):
    if desc is None:
        return "d\t%s\t-1\t\t~\t~" % name if name in ALWAYS else None
    possible = tuple(desc.possible_length or ())
    if name != "general_desc" and possible == tuple(general.possible_length or ()):
        possible = ()
    return "d\t%s\t%s\t%s\t%s\t%s" % (name, lengths(possible), lengths(desc.possible_length_local_only or ()),
                                      opt(desc.national_number_pattern), opt(desc.example_number))


class BARE:
    """An intl format's own (absent) prefix rules."""
    national_prefix_formatting_rule = None
    national_prefix_optional_when_formatting = None
    domestic_carrier_code_formatting_rule = None


def format_line(kind, f, national=None):
    """One NumberFormat. `national` is the national format an intl one was copied from (same
    pattern, leading digits and format): the Java tool copies that format's prefix rules along
    (the engine does not read them there). An intl format of its own carries none."""
    rules = national or f
    optional = rules.national_prefix_optional_when_formatting
    fields = ["f", kind, check(f.pattern), check(dollars(f.format)), opt(dollars(rules.national_prefix_formatting_rule)),
              "~" if optional is None else ("1" if optional else "0"),
              opt(dollars(rules.domestic_carrier_code_formatting_rule))]
    return "\t".join(fields + [check(p) for p in f.leading_digits_pattern])


def region_lines(m):
    lines = ["region\t%s\t%d" % (m.id, m.country_code)]
    for name in STRINGS:
        value = getattr(m, name)
        if value is not None:
            lines.append("s\t%s\t%s" % (name, check(dollars(value) if name == "national_prefix_transform_rule" else value)))
    for name in BOOLS:
        if getattr(m, name):
            lines.append("b\t%s\t1" % name)
    for name in DESCS:
        line = desc_line(name, getattr(m, name), m.general_desc)
        if line:
            lines.append(line)
    lines += [format_line("n", f) for f in m.number_format]
    # The Java tool writes intl formats only when some differ from the national ones.
    national = {(f.pattern, tuple(f.leading_digits_pattern), f.format): f for f in m.number_format}
    lines += [format_line("i", f, national.get((f.pattern, tuple(f.leading_digits_pattern), f.format), BARE))
              for f in (m.intl_number_format or [])]
    return lines


def all_metadata():
    """(region, country code) of every region phonenumbers knows."""
    for code, regions in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()):
        for region in regions:
            yield (region, code)


def sorted_metadata():
    """Regions sorted by id, then the non-geographic entities (001) by country code, as the Java
    tool orders them; PhoneNumberUtil puts each code's main country first itself."""
    for region, code in sorted(all_metadata(), key=lambda rc: (rc[0] == "001", rc)):
        yield (PhoneMetadata.metadata_for_nongeo_region(code) if region == "001"
               else PhoneMetadata.metadata_for_region(region))


def body():
    lines = []
    for m in sorted_metadata():
        lines += region_lines(m)
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--text", action="store_true", help="write the bare text (no C++ wrapper)")
    args = parser.parse_args()
    text = body()
    if args.text:
        with open(args.out, "w") as f:
            f.write(text)
        return
    header = [
        "// GENERATED FILE -- DO NOT EDIT. Regenerate: python3 scripts/make_phone_metadata.py",
        "// Numbering metadata for libphonenumber's engine, from the `phonenumbers` %s PyPI package."
        % phonenumbers.__version__,
        "// Format: Sources/CPhoneNumber/metadata_text.cpp. %d regions."
        % sum(line.startswith("region\t") for line in text.splitlines()),
        "#define DD_PHONE_METADATA_VERSION \"%s\"" % phonenumbers.__version__,
        "static const char kDDPhoneMetadataText[] = R\"ddmeta(",
    ]
    assert ")ddmeta\"" not in text
    with open(args.out, "w") as f:
        f.write("\n".join(header) + "\n" + text + ")ddmeta\";\n")
    print("wrote %s: phonenumbers %s, %d bytes of text" % (os.path.relpath(args.out, ROOT), phonenumbers.__version__, len(text)))


if __name__ == "__main__":
    main()
