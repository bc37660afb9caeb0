#!/usr/bin/env python3
"""Phone inputs with the `phonenumbers` package's verdicts, for dropdial's differential test.

Writes TSV lines `region<TAB>input<TAB>expected`, where expected is the E.164 form when
phonenumbers.parse(input, region) succeeds and is_valid_number() holds, else empty. Inputs are
numbers near each region's real ranges (its example numbers per type with digits changed) and
random digit strings of the region's possible lengths, in the spellings spreadsheets hold: E.164,
international and national formats, `00` and the national prefix, spaces, dots, dashes, brackets,
a leading `'`, extensions, letters, too short, too long, read under their own region or another.
Tests/DropdialImportTests/PhoneOracleTests.swift compares dropdial's normalizer with every line.

One rule comes before the numbering data: SPEC §4 refuses a phone that lost digits in a
spreadsheet, written in scientific notation (`4.15555E+09`, `771.234E566`). phonenumbers reads
such text by dropping the letter; dropdial refuses it, so its expected column is empty
(SCIENTIFIC below, the SPEC's shape restated: digits, dots or commas, then E and digits).

Usage:  python3 scripts/make_phone_oracle.py [--count N] [--seed S] [--out FILE]
"""
import argparse
import os
import random
import re

import phonenumbers
from phonenumbers import PhoneNumberFormat as F, PhoneNumberType as T

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "generated", "phone_oracle.tsv")
# 60 regions: NANP members with new overlays, large markets, and ranges that changed since 2022.
REGIONS = ["US", "CA", "PR", "JM", "DO", "BS", "GU", "GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "LU",
           "ES", "PT", "IT", "SE", "NO", "DK", "FI", "PL", "CZ", "HU", "RO", "GR", "TR", "RU", "UA", "IL",
           "AE", "SA", "EG", "ZA", "NG", "KE", "IN", "PK", "BD", "CN", "HK", "TW", "JP", "KR", "SG", "MY",
           "ID", "PH", "VN", "TH", "AU", "NZ", "MX", "BR", "AR", "CL", "CO", "PE"]
TYPES = [T.FIXED_LINE, T.MOBILE, T.TOLL_FREE, T.PREMIUM_RATE, T.VOIP, T.PERSONAL_NUMBER, T.UAN, T.SHARED_COST]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SCIENTIFIC = re.compile(r"^[+-]?[0-9.,]*[0-9][0-9.,]*[eE]\+?[0-9]+$")


def nsn_candidates(region):
    """National significant numbers near the region's real ranges."""
    out = []
    for t in TYPES:
        example = phonenumbers.example_number_for_type(region, t)
        if example is not None:
            out.append(phonenumbers.national_significant_number(example))
    return out


def mutate(rng, nsn, lengths):
    kind = rng.random()
    if kind < 0.45:  # keep a prefix, change the rest
        keep = rng.randint(1, max(1, len(nsn) - 1))
        return nsn[:keep] + "".join(rng.choice("0123456789") for _ in nsn[keep:])
    if kind < 0.55:
        return nsn
    length = rng.choice(lengths) if lengths else len(nsn)
    return "".join(rng.choice("0123456789") for _ in range(length))


def spell(rng, region, nsn):
    cc = phonenumbers.country_code_for_region(region)
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    np_ = (meta.national_prefix or "") if meta else ""
    styles = []
    try:
        number = phonenumbers.parse("+%d%s" % (cc, nsn), None)
        styles += [phonenumbers.format_number(number, F.INTERNATIONAL),
                   phonenumbers.format_number(number, F.NATIONAL),
                   phonenumbers.format_number(number, F.E164)]
    except phonenumbers.NumberParseException:
        pass
    styles += ["+%d%s" % (cc, nsn), "00%d%s" % (cc, nsn), np_ + nsn, nsn,
               "+%d %s %s" % (cc, nsn[:3], nsn[3:]), "(%s) %s-%s" % (nsn[:3], nsn[3:6], nsn[6:]),
               "%s.%s.%s" % (nsn[:3], nsn[3:6], nsn[6:]), "+%d-%s-%s" % (cc, nsn[:4], nsn[4:])]
    text = rng.choice(styles)
    damage = rng.random()
    if damage < 0.06:
        text = "'" + text
    elif damage < 0.10:
        text += rng.choice([" ext. ", " x", " ext ", ";ext="]) + str(rng.randint(1, 99999))
    elif damage < 0.14 and len(text) > 4:  # letters for some digits (vanity numbers)
        i = rng.randrange(len(text) - 4, len(text))
        text = text[:i] + rng.choice(LETTERS) + text[i + 1:]
    elif damage < 0.19:
        text = text[:-rng.randint(1, 3)]  # too short
    elif damage < 0.24:
        text += "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4)))  # too long
    elif damage < 0.27:
        text = " %s " % text
    return text


def verdict(text, region):
    if SCIENTIFIC.match(text):
        return ""  # SPEC §4: the digits were lost in a spreadsheet
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, F.E164) if phonenumbers.is_valid_number(number) else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    table = {r: (nsn_candidates(r), sorted(set(
        phonenumbers.PhoneMetadata.metadata_for_region(r).general_desc.possible_length or ()))) for r in REGIONS}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    valid = 0
    with open(args.out, "w") as out:
        out.write("# phonenumbers %s; region\tinput\texpected E.164 (empty: not a valid number)\n" % phonenumbers.__version__)
        for _ in range(args.count):
            home = rng.choice(REGIONS)
            candidates, lengths = table[home]
            nsn = mutate(rng, rng.choice(candidates), lengths)
            text = spell(rng, home, nsn)
            region = home if rng.random() < 0.8 else rng.choice(REGIONS)
            expected = verdict(text, region)
            valid += bool(expected)
            assert "\t" not in text and "\n" not in text
            out.write("%s\t%s\t%s\n" % (region, text, expected))
    print("wrote %s: %d inputs across %d regions, %d valid (phonenumbers %s)"
          % (os.path.relpath(args.out, ROOT), args.count, len(REGIONS), valid, phonenumbers.__version__))


if __name__ == "__main__":
    main()
