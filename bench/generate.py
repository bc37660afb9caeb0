#!/usr/bin/env python3
"""Writes benchmark contact files: N rows x 7 columns, mixed real-world phone formats, ~1% invalid
rows, quoted fields. Output is cached: a file is only written when missing.

With --xlsx it also writes the same rows as two workbooks and prints their paths after the CSV's:
  contacts_N.xlsx         every text cell an inline string (t="inlineStr"), as xlsxwriter's
                          constant_memory mode and many exporters write them;
  contacts_N.shared.xlsx  every text cell in the shared-strings table (t="s"), as Excel and
                          xlsxwriter's default mode write them.

usage: bench/generate.py ROWS [--xlsx] [--out bench/data]
"""
import argparse
import csv
import os
import random

AREA = ["212", "310", "415", "503", "617", "702", "646", "773", "305", "206", "512", "404"]
ZONES = ["America/New_York", "America/Los_Angeles", "America/Chicago", "America/Denver", ""]
FIRST = ["Ada", "Grace", "Alan", "Zoë", "José", "Mary", "Li", "Omar", "Fatima", "John"]
LAST = ["Lovelace", "Hopper", "Turing", "Müller", "García", "O'Brien", "Smith, Jr.", "Nguyen"]


def phone(rng, i):
    """A valid US number in one of the formats people type, or (1%) an invalid one."""
    if i % 100 == 99:
        return rng.choice(["12345", "555-01", "4.15555E+09", "", "not a number"])
    area = rng.choice(AREA)
    # Exchange 2xx-9xx, subscriber unique per row so duplicates are rare but present.
    exch = 200 + (i // 10000) % 800
    sub = i % 10000
    n = f"{area}{exch:03d}{sub:04d}"
    fmt = i % 6
    if fmt == 0:
        return f"({area}) {exch:03d}-{sub:04d}"
    if fmt == 1:
        return f"+1 {area}-{exch:03d}-{sub:04d}"
    if fmt == 2:
        return f"{area}.{exch:03d}.{sub:04d}"
    if fmt == 3:
        return f"1{n}"
    if fmt == 4:
        return f"'{n}"
    return n


def rows(n):
    rng = random.Random(42)
    yield ["phone_number", "first_name", "last_name", "email", "account_id", "timezone", "amount"]
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        yield [
            phone(rng, i), first, last, f"{first.lower()}.{i}@example.com", f"ACC-{i:07d}",
            rng.choice(ZONES), f"{rng.randint(0, 99999) / 100:.2f}",
        ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("--xlsx", action="store_true")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "data"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    csv_path = os.path.join(args.out, f"contacts_{args.rows}.csv")
    if not os.path.exists(csv_path):
        tmp = csv_path + ".tmp"
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows(args.rows))
        os.rename(tmp, csv_path)
    print(csv_path)
    if args.xlsx:
        for kind, constant_memory in (("", True), (".shared", False)):
            path = os.path.join(args.out, f"contacts_{args.rows}{kind}.xlsx")
            if not os.path.exists(path):
                write_xlsx(path, args.rows, constant_memory)
            print(path)


def write_xlsx(path, n, constant_memory):
    """The rows as a workbook: with constant_memory every text cell is an inline string; without
    it xlsxwriter keeps the sheet in memory (about 1.5 GB at 1M rows) and uses the shared-strings
    table."""
    import xlsxwriter
    tmp = path + ".tmp.xlsx"
    wb = xlsxwriter.Workbook(tmp, {"constant_memory": constant_memory, "strings_to_numbers": False})
    ws = wb.add_worksheet("contacts")
    for r, row in enumerate(rows(n)):
        for c, v in enumerate(row):
            if c == 6 and r > 0:
                ws.write_number(r, c, float(v))
            else:
                ws.write_string(r, c, v)
    wb.close()
    os.rename(tmp, path)

if __name__ == "__main__":
    main()
