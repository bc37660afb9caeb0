#!/usr/bin/env python3
"""Write the user-facing example files in samples/ (committed to the repository).

Run from the repository root:  python3 scripts/make_samples.py

  contacts.csv              25 US contacts, phone numbers in the formats people really type
  contacts.batch.json       a manifest for contacts.csv (SPEC §3 fields)
  contacts.xlsx             the same contacts, written by XlsxWriter
  contacts.xls              the same contacts, written by xlwt (Excel 97-2003)
  contacts_with_errors.csv  rows `dropdial check` rejects, described in samples/README.md

Phone numbers use the 555-01xx block reserved for fiction, under real area codes, so they are
valid numbers for libphonenumber and nobody's phone.
"""

import csv
import datetime as dt
import json
from pathlib import Path

import xlsxwriter
import xlwt

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXED_TIME = dt.datetime(2026, 1, 5, 9, 0, 0)  # document properties, so reruns give the same xlsx

HEADER = ["phone_number", "first_name", "last_name", "email", "account_id", "timezone"]

CONTACTS = [
    ["(415) 555-0132", "Maria", "Gonzalez", "maria.gonzalez@example.com", "ACC-10231", "America/Los_Angeles"],
    ["212-555-0147", "James", "Whitaker", "jwhitaker@example.net", "ACC-10232", "America/New_York"],
    ["+1 312 555 0163", "Aisha", "Rahman", "aisha.rahman@example.org", "ACC-10233", "America/Chicago"],
    ["617.555.0178", "Connor", "O'Neill", "connor.oneill@example.com", "ACC-10234", ""],
    ["2065550191", "Mei", "Chen", "mei.chen@example.com", "ACC-10235", "America/Los_Angeles"],
    ["1-303-555-0104", "Daniel", "Kowalski", "dkowalski@example.com", "ACC-10236", "America/Denver"],
    ["(512) 555-0120", "Priya", "Patel", "priya.patel@example.com", "ACC-10237", "America/Chicago"],
    ["+13055550135", "Luis", "Hernández", "luis.hernandez@example.com", "ACC-10238", "America/New_York"],
    ["404 555 0149", "Tamika", "Johnson", "tamika.j@example.net", "ACC-10239", ""],
    ["(702) 555-0156", "Robert", "Nguyen", "rob.nguyen@example.com", "ACC-10240", "America/Los_Angeles"],
    ["646-555-0172", "Sarah", "Goldberg", "sgoldberg@example.org", "ACC-10241", "America/New_York"],
    ["(773) 555-0186", "DeShawn", "Williams", "deshawn.williams@example.com", "ACC-10242", "America/Chicago"],
    ["503.555.0193", "Emily", "Larsen", "emily.larsen@example.com", "ACC-10243", "America/Los_Angeles"],
    ["+1 (602) 555-0107", "Carlos", "Mendoza", "cmendoza@example.net", "ACC-10244", "America/Phoenix"],
    ["6155550114", "Hannah", "Brooks", "hannah.brooks@example.com", "ACC-10245", ""],
    ["(919) 555-0128", "Kevin", "Park", "kevin.park@example.com", "ACC-10246", "America/New_York"],
    ["858-555-0139", "Zoë", "Müller", "zoe.mueller@example.com", "ACC-10247", "America/Los_Angeles"],
    ["(720) 555-0144", "Marcus", "Reed", "marcus.reed@example.org", "ACC-10248", "America/Denver"],
    ["+1 808 555 0151", "Leilani", "Kahale", "leilani.kahale@example.com", "ACC-10249", "Pacific/Honolulu"],
    ["907-555-0168", "Erik", "Johansson", "erik.johansson@example.com", "ACC-10250", "America/Anchorage"],
    ["(214) 555-0175", "Grace", "Kim", "grace.kim@example.net", "ACC-10251", "America/Chicago"],
    ["313.555.0182", "Andre", "Dupont", "andre.dupont@example.com", "ACC-10252", "America/Detroit"],
    ["(971) 555-0197", "Olivia", "Sanders", "olivia.sanders@example.com", "ACC-10253", ""],
    ["+1 617-555-0109", "Siobhán", "Murphy", "siobhan.murphy@example.com", "ACC-10254", "America/New_York"],
    ["(206) 555-0117", "Noah", "Bergstrom", "noah.bergstrom@example.org", "ACC-10255", "America/Los_Angeles"],
]

MANIFEST = {
    "batchName": "Q2 account renewal reminders",
    "scheduledAt": "2026-04-06T13:00:00Z",
    "timezone": "America/New_York",
    "callingWindow": {"start": "09:00", "end": "17:00"},
    "allowedDays": [1, 2, 3, 4, 5],
    "retry": {"count": 3, "intervalMinutes": 60},
    "holidays": ["2026-12-25"],
}

# Each row with the error `dropdial check` reports for it (samples/README.md lists the same).
# The row number is the CSV line, header = 1.
ROWS_WITH_ERRORS = [
    (["(415) 555-0132", "Maria", "Gonzalez", "maria.gonzalez@example.com", "ACC-10231", "America/Los_Angeles"], None),
    (["", "Peter", "Olsen", "peter.olsen@example.com", "ACC-10260", "America/Chicago"], "phone_missing"),
    (["555-0199", "Nadia", "Ivanova", "nadia.ivanova@example.com", "ACC-10261", "America/New_York"], "phone_invalid"),
    (["4.15555E+09", "Tom", "Becker", "tom.becker@example.com", "ACC-10262", "America/Los_Angeles"], "phone_lost_digits"),
    (["(212) 555-0147", "James", "Whitaker", "jwhitaker@example.net", "ACC-10232", "Mars/Olympus"], "timezone_invalid"),
    (["+1 415-555-0132", "Maria", "Gonzalez", "maria.gonzalez@example.com", "ACC-10231", "America/Los_Angeles"], "duplicate"),
    (["'4155550148", "Ruth", "Adler", "ruth.adler@example.com", "ACC-10263", "America/Los_Angeles"], None),
    (["", "", "", "", "", ""], "blank"),
    (["312.555.0163", "Aisha", "Rahman", "aisha.rahman@example.org", "ACC-10233", "America/Chicago"], None),
    (["(303) 555-0104", "Daniel", "Kowalski", "dkowalski@example.com", "ACC-10236", ""], None),
]


def phone_cell(text):
    """Digits-only phones are what a spreadsheet stores as a number when someone types them."""
    return int(text) if text.isdigit() else text


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\r\n")  # what Excel writes
        out.writerow(header)
        out.writerows(rows)


def write_xlsx(path):
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "Contacts", "created": FIXED_TIME})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Contacts")
    ws.write_row(0, 0, HEADER, bold)
    for r, row in enumerate(CONTACTS, start=1):
        ws.write(r, 0, phone_cell(row[0]))
        for c, value in enumerate(row[1:], start=1):
            if value:
                ws.write_string(r, c, value)
    ws.set_column(0, 0, 18)
    ws.set_column(3, 3, 32)
    ws.set_column(5, 5, 22)
    ws.freeze_panes(1, 0)
    wb.close()


def write_xls(path):
    wb = xlwt.Workbook(encoding="utf-8")
    bold = xlwt.easyxf("font: bold on")
    ws = wb.add_sheet("Contacts")
    for c, text in enumerate(HEADER):
        ws.write(0, c, text, bold)
    for r, row in enumerate(CONTACTS, start=1):
        ws.write(r, 0, phone_cell(row[0]))
        for c, value in enumerate(row[1:], start=1):
            if value:
                ws.write(r, c, value)
    wb.save(str(path))


def main():
    SAMPLES.mkdir(exist_ok=True)
    write_csv(SAMPLES / "contacts.csv", HEADER, CONTACTS)
    with open(SAMPLES / "contacts.batch.json", "w", encoding="utf-8") as f:
        json.dump(MANIFEST, f, indent=2)
        f.write("\n")
    write_xlsx(SAMPLES / "contacts.xlsx")
    write_xls(SAMPLES / "contacts.xls")
    write_csv(SAMPLES / "contacts_with_errors.csv", HEADER, [row for row, _ in ROWS_WITH_ERRORS])
    for line, (row, code) in enumerate(ROWS_WITH_ERRORS, start=2):
        if code:
            print(f"  contacts_with_errors.csv line {line}: {code}")
    print(f"wrote {', '.join(sorted(p.name for p in SAMPLES.iterdir() if p.suffix != '.md'))}")


if __name__ == "__main__":
    main()
