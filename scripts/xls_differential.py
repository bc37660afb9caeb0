#!/usr/bin/env python3
"""Differential test of the XLS reader: every .xls fixture read by dropdial, xlrd and
python-calamine must agree cell for cell under SPEC §4.

    python3 scripts/xls_differential.py DROPDIAL_BINARY [FILE.xls ...]

Without files it reads every .xls in Tests/Fixtures/generated/ (scripts/make_fixtures.py). Each
library's cells are rendered to SPEC §4 text here (numbers, dates and times by the cell's number
format, booleans TRUE/FALSE, errors by name, rows trimmed after their last non-empty cell) and
compared with `dropdial inspect --json FILE` (one JSON array per line). python-calamine gives an error cell no value (its
Python binding drops the error), so against calamine an error text of dropdial's counts as "". Text is compared in Unicode NFC (iconv composes
CP1258's combining marks, Python's codec does not). The first *worksheet* is read: chart, macro
and VBA sheets are skipped, hidden sheets are not. Exit status 1 when any file disagrees.
"""

import datetime as dt
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import python_calamine
import xlrd

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "Tests" / "Fixtures" / "generated"
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
          0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def number(v):
    if v != v or v in (float("inf"), float("-inf")):
        return "#NUM!"
    if abs(v) < 1e15 and float(v).is_integer():
        return str(int(v))
    return repr(float(v))


def format_kind(fmt_id, code):
    """SPEC §4's date/time test, as NumberFormatKind does it."""
    if code is not None:
        kind = code_kind(code)
        if kind != "number":
            return kind
    if fmt_id in (14, 15, 16, 17, 22):
        return "date"
    if fmt_id in (18, 19, 20, 21, 45, 46, 47):
        return "time"
    return "number"


def code_kind(code):
    has = set()
    elapsed = False
    i, b = 0, code.lower()
    while i < len(b):
        c = b[i]
        if c == '"':
            j = b.find('"', i + 1)
            i = len(b) if j < 0 else j + 1
        elif c in "\\_*":
            i += 2
        elif c == "[":
            j = b.find("]", i)
            inner = b[i + 1:j if j >= 0 else len(b)]
            if inner and len(set(inner)) == 1 and inner[0] in "hms":
                elapsed = True
            i = len(b) if j < 0 else j + 1
        elif b.startswith("am/pm", i):
            i += 5
        elif b.startswith("a/p", i):
            i += 3
        else:
            if c in "ymdhs":
                has.add(c)
            i += 1
    if (has & {"h", "s"} or elapsed) and not has & {"y", "d"}:
        return "time"
    if has & {"y", "m", "d"}:
        return "date"
    return "number"


def serial_text(serial, date1904, kind):
    if kind == "number" or not (0 <= serial < 2_958_466):
        return number(serial)
    day = int(serial)
    seconds = round((serial - day) * 86400)
    if seconds >= 86400:
        day, seconds = day + 1, seconds - 86400
    clock = f"{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02}"
    if kind == "time" and day == 0:
        return clock
    if date1904:
        date = (dt.date(1904, 1, 1) + dt.timedelta(days=day)).isoformat()
    elif day == 60:
        date = "1900-02-29"
    else:
        date = (dt.date(1899, 12, 30 if day > 60 else 31) + dt.timedelta(days=day)).isoformat()
    return date if seconds == 0 and kind != "time" else f"{date}T{clock}"


def trimmed(rows):
    out = []
    for row in rows:
        row = [unicodedata.normalize("NFC", c) for c in row]
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def by_xlrd(path):
    book = xlrd.open_workbook(str(path), formatting_info=True, logfile=open("/dev/null", "w"))
    sheet = book.sheet_by_index(0)  # xlrd lists worksheets only (chart sheets are left out)
    rows = []
    for r in range(sheet.nrows):
        row = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            t = cell.ctype
            if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append("")
            elif t == xlrd.XL_CELL_TEXT:
                row.append(cell.value)
            elif t == xlrd.XL_CELL_BOOLEAN:
                row.append("TRUE" if cell.value else "FALSE")
            elif t == xlrd.XL_CELL_ERROR:
                row.append(ERRORS.get(cell.value, "#N/A"))
            else:
                xf = book.xf_list[cell.xf_index]
                fmt = book.format_map.get(xf.format_key)
                kind = format_kind(xf.format_key, fmt.format_str if fmt else None)
                row.append(serial_text(cell.value, book.datemode == 1, kind))
        rows.append(row)
    return sheet.name, trimmed(rows)


def calamine_text(v):
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return number(v)
    if isinstance(v, dt.datetime):
        v = (v + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(timespec="seconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        s = round(v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6)
        return f"{s // 3600:02}:{s // 60 % 60:02}:{s % 60:02}"
    if isinstance(v, dt.timedelta):
        s = round(v.total_seconds())
        return f"{s // 3600:02}:{s // 60 % 60:02}:{s % 60:02}"
    return str(v)


def by_calamine(path):
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    meta = next((m for m in book.sheets_metadata if "WorkSheet" in str(m.typ)), book.sheets_metadata[0])
    sheet = book.get_sheet_by_name(meta.name)
    rows = sheet.to_python(skip_empty_area=False)
    return meta.name, trimmed([[calamine_text(v) for v in row] for row in rows])


def by_dropdial(binary, path):
    result = subprocess.run([binary, "inspect", "--json", str(path)], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return None, f"exit {result.returncode}: {result.stderr.strip()}"
    return None, trimmed([json.loads(line) for line in result.stdout.splitlines() if line.strip()])


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    files = [Path(f) for f in sys.argv[2:]] or sorted(GENERATED.glob("*.xls"))
    if not files:
        sys.exit(f"no .xls files in {GENERATED}: run python3 scripts/make_fixtures.py first")
    failed = 0
    for path in files:
        _, ours = by_dropdial(binary, path)
        verdicts = []
        for name, reader in (("xlrd", by_xlrd), ("calamine", by_calamine)):
            try:
                _, theirs = reader(path)
            except Exception as error:  # a library that cannot read the file has no vote
                verdicts.append(f"{name}: cannot read ({type(error).__name__}: {error})")
                continue
            expected = ours
            if name == "calamine" and isinstance(ours, list):
                expected = trimmed([["" if c in ERRORS.values() else c for c in row] for row in ours])
            if theirs != expected:
                failed += 1
                verdicts.append(f"{name}: DIFFERS\n    dropdial: {ours}\n    {name}: {theirs}")
            else:
                verdicts.append(f"{name}: agrees")
        print(f"{path.name}: " + "; ".join(verdicts))
    print(f"{len(files)} files, {failed} disagreements")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
