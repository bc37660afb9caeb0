#!/usr/bin/env python3
"""Write spreadsheet test fixtures with real producers into Tests/Fixtures/generated/.

Run from the repository root:  python3 scripts/make_fixtures.py

The same contact table is saved by openpyxl, XlsxWriter (normal and constant_memory), xlwt,
Gnumeric's ssconvert (from a CSV) and, when it is installed, LibreOffice. A second small "types"
table exercises dates, times, booleans, formulas and error cells. expected.json holds the rows
`dropdial inspect --json` must print for each file (SPEC §4), with per-file exceptions where a
producer cannot do better; each exception says why. The "xls" table holds the XLS reader's cases
(formulas, BOOLERR, date formats on times, BIFF5 code pages, hidden and chart first sheets, a
`BOOK` stream, empty shared strings), each file with its own rows; where no producer writes a
case, a small byte patch of a producer's file does, and `patch_*` below documents each one.

The output folder is gitignored. Running the script again rewrites the same files with the same
contents (openpyxl and Gnumeric stamp the save time, so those bytes differ).
"""

import csv
import datetime as dt
import struct
import unicodedata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import xlsxwriter
import xlwt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "generated"
FIXED_TIME = dt.datetime(2025, 1, 1, 12, 0, 0)  # document properties, so XlsxWriter output is byte-stable

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"

# --- the contact table -------------------------------------------------------------------------
# None is an empty cell; [] is an empty row (kept between data rows, SPEC §4 row shape).

CONTACT_HEADER = ["phone_number", "first_name", "last_name", "email", "timezone", "amount", "signup_date"]
CONTACTS = [
    ["(415) 555-2671", "Ada", "Lovelace", "ada@example.com", "America/Los_Angeles", 1234.5, dt.date(2024, 3, 15)],
    ["+1 415-555-2671", "Grace", "Hopper", "grace.hopper@example.com", "America/New_York", 250, dt.date(2023, 12, 1)],
    ["415.555.2672", "Zoë", "Müller", "zoe.mueller@example.de", "Europe/Berlin", 99.99, dt.date(2025, 1, 31)],
    ["'4155552673", "José", "Núñez", "jose@example.com", "America/Chicago", 0, dt.date(2024, 2, 29)],
    [],
    [4155552674, "Amélie", "O'Brien", "amelie@example.com", None, -12.75, dt.date(2024, 7, 4)],
    [None, "No", "Phone", "nophone@example.com"],
    ["212-555-0100", "Li", "Wei", None, "America/New_York", 1000000, dt.date(1999, 12, 31)],
]

# --- the types table -----------------------------------------------------------------------------
# (kind, value, number format or None)

class Formula:
    def __init__(self, text, cached):
        self.text, self.cached = text, cached

class Error:
    def __init__(self, text):
        self.text = text

TYPES_HEADER = ["kind", "value"]
TYPES = [
    ("integer", 42, None),
    ("negative", -7, None),
    ("fraction", 0.5, None),
    ("decimal", 1234.5678, None),
    ("phone_as_number", 4155552671, None),
    ("date", dt.date(2024, 3, 15), DATE_FORMAT),
    ("datetime_midnight", dt.datetime(2024, 3, 15, 0, 0, 0), DATETIME_FORMAT),
    ("datetime", dt.datetime(2024, 3, 15, 13, 45, 30), DATETIME_FORMAT),
    ("datetime_rounds_up", dt.datetime(2024, 3, 15, 13, 59, 59, 999900), DATETIME_FORMAT),
    ("time", dt.time(9, 30, 0), TIME_FORMAT),
    ("time_format_with_date", dt.datetime(2024, 3, 15, 12, 0, 0), TIME_FORMAT),
    ("date_format_with_time", dt.datetime(2024, 3, 15, 13, 0, 0), DATE_FORMAT),
    ("boolean_true", True, None),
    ("boolean_false", False, None),
    ("formula", Formula("1+2", 3), None),
    ("error", Error("#N/A"), None),
    ("unicode", "Zoë Müller – 日本語 😀", None),
]


# --- SPEC §4 rendering -----------------------------------------------------------------------------

def render(value):
    """The text SPEC §4 prescribes for a cell holding `value`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if abs(value) < 1e15 and float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    if isinstance(value, dt.datetime):
        rounded = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if rounded.time() == dt.time(0, 0):
            return rounded.date().isoformat()
        return rounded.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, Formula):
        return render(value.cached)
    if isinstance(value, Error):
        return value.text
    return str(value)


def row_texts(values):
    """A row as `inspect` prints it: cells end at the last non-empty one."""
    texts = [render(v) for v in values]
    while texts and texts[-1] == "":
        texts.pop()
    return texts


def expected_contacts():
    return [CONTACT_HEADER] + [row_texts(r) for r in CONTACTS]


def expected_types():
    return [TYPES_HEADER] + [row_texts([kind, value]) for kind, value, _ in TYPES]


def with_changes(rows, changes):
    """`rows` with some cells replaced: changes maps (row index, column index) to the new text."""
    rows = [list(r) for r in rows]
    for (r, c), text in changes.items():
        rows[r][c] = text
    return [row_texts(r) for r in rows]


def types_index(kind):
    return 1 + [k for k, _, _ in TYPES].index(kind)


# --- producers -------------------------------------------------------------------------------------

def write_openpyxl(path, header, rows, formats=None):
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = "Contacts" if header == CONTACT_HEADER else "Types"
    ws.append(header)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, Formula):
                cell.value = "=" + value.text  # openpyxl stores no cached result
            elif isinstance(value, Error):
                cell.value = value.text
                cell.data_type = "e"
            else:
                cell.value = value
            fmt = (formats or {}).get(r) if c == 2 else None
            if fmt:
                cell.number_format = fmt
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                cell.number_format = DATE_FORMAT
    notes = wb.create_sheet("Notes")  # a second sheet the reader must ignore
    notes.append(["not part of the import"])
    wb.save(path)


def write_xlsxwriter(path, header, rows, formats=None, options=None, chartsheet_first=False):
    wb = xlsxwriter.Workbook(str(path), options or {})
    wb.set_properties({"created": FIXED_TIME})
    styles = {f: wb.add_format({"num_format": f}) for f in (DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT)}
    if chartsheet_first:
        chartsheet = wb.add_chartsheet("Chart")
    ws = wb.add_worksheet("Contacts" if header == CONTACT_HEADER else "Types")
    ws.write_row(0, 0, header)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            fmt = styles.get((formats or {}).get(r + 1)) if c == 1 else None
            if value is None:
                continue
            if isinstance(value, Formula):
                ws.write_formula(r, c, "=" + value.text, fmt, value.cached)
            elif isinstance(value, Error):
                ws.write_formula(r, c, "=NA()", fmt, value.text)
            elif isinstance(value, (dt.date, dt.time)):
                ws.write_datetime(r, c, value, fmt or styles[DATE_FORMAT])
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value, fmt)
    if chartsheet_first:
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"values": "=Contacts!$F$2:$F$4"})
        chartsheet.set_chart(chart)
    else:
        wb.add_worksheet("Notes").write(0, 0, "not part of the import")
    wb.close()


def write_xlwt(path, header, rows, formats=None, dates_1904=False):
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = dates_1904
    styles = {f: xlwt.easyxf(num_format_str=f) for f in (DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT)}
    ws = wb.add_sheet("Contacts" if header == CONTACT_HEADER else "Types")
    for c, text in enumerate(header):
        ws.write(0, c, text)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            fmt = styles.get((formats or {}).get(r + 1)) if c == 1 else None
            if value is None:
                continue
            if isinstance(value, Formula):
                ws.write(r, c, xlwt.Formula(value.text))  # xlwt writes no cached result
            elif isinstance(value, Error):
                ws.row(r).set_cell_error(c, 0x2A)  # #N/A by its BIFF code (xlwt's name table is off)
            elif isinstance(value, (dt.date, dt.time)):
                ws.write(r, c, value, fmt or styles[DATE_FORMAT])
            elif fmt:
                ws.write(r, c, value, fmt)
            else:
                ws.write(r, c, value)
    wb.add_sheet("Notes").write(0, 0, "not part of the import")
    wb.save(str(path))


def write_source_csv(path):
    """The contact table as a CSV, the input for ssconvert and LibreOffice."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(CONTACT_HEADER)
        for values in CONTACTS:
            out.writerow(row_texts(values))


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{result.stderr}")


def ssconvert(source, target, exporter, recalc=False):
    """Converts with Gnumeric; `recalc` recomputes every formula so its cached result is real."""
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    run(["ssconvert"] + (["--recalc"] if recalc else []) + ["--export-type", exporter, str(source), str(target)],
        env=env)


def libreoffice(source, target, filter_name):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        run([soffice, f"-env:UserInstallation={profile}", "--headless",
             "--infilter=CSV:44,34,76,1", "--convert-to", filter_name, "--outdir", tmp, str(source)])
        produced = next(p for p in Path(tmp).iterdir() if p.is_file())
        shutil.move(str(produced), target)


def version(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        return (result.stdout or result.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


# --- XLS reader cases --------------------------------------------------------------------------------
# Each case is written by XlsxWriter and converted by Gnumeric's ssconvert (which computes and
# stores every formula's cached result), or written by xlwt; the byte patches work on BIFF records
# found by walking the workbook stream, never on fixed offsets.

FORMULA_ROWS = [  # (kind, formula or value, cached result XlsxWriter stores, number format, expected text)
    ("number", "=40+2", 42, None, "42"),
    ("phone_formula", '="+1"&"4155552671"', "+14155552671", None, "+14155552671"),
    ("boolean_true", "=1=1", True, None, "TRUE"),
    ("boolean_false", "=1=2", False, None, "FALSE"),
    ("error_na", "=NA()", "#N/A", None, "#N/A"),
    ("error_div0", "=1/0", "#DIV/0!", None, "#DIV/0!"),
    ("empty_string", '=""', "", None, ""),
    ("boolerr_true", True, None, None, "TRUE"),
    ("boolerr_false", False, None, None, "FALSE"),
    ("date_only_format_with_time", 12345.6789, None, 14, "1933-10-18T16:17:37"),
    ("datetime", 45366.5, None, "yyyy-mm-dd hh:mm", "2024-03-15T12:00:00"),
    ("time", 0.75, None, "hh:mm:ss", "18:00:00"),
    ("date_formula", "=DATE(2024,3,15)", 45366, "yyyy-mm-dd", "2024-03-15"),
]

# BIFF5 text in a code page: the text, and its bytes in that code page as Gnumeric writes them
# (Gnumeric's BIFF5 export writes Windows-1252, so the cp1251/cp1258 cases are written as the
# Windows-1252 characters with the same bytes and the CODEPAGE record is patched afterwards).
CODEPAGE_TEXT = {
    1252: ["Zoë Müller", "José Núñez", "Ærøskøbing €5"],
    1251: ["Привет, мир", "Юлия Ёлкина", "Щука №5"],
    1258: ["Vi\u1ec7t Nam", "Ti\u1ebfng Vi\u1ec7t", "\u0110\u00e0 N\u1eb5ng"],
}
CP1258_BYTES = {  # cp1258 spells most tone marks as combining bytes after the base letter
    "Vi\u1ec7t Nam": b"Vi\xea\xf2t Nam",
    "Ti\u1ebfng Vi\u1ec7t": b"Ti\xea\xecng Vi\xea\xf2t",
    "\u0110\u00e0 N\u1eb5ng": b"\xd0\xe0 N\xe3\xdeng",
}


def codepage_bytes(text, codepage):
    return CP1258_BYTES[text] if codepage == 1258 else text.encode(f"cp{codepage}")


def records(stream):
    """(offset, type, length) of each BIFF record in a workbook stream."""
    pos = 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack_from("<HH", stream, pos)
        yield pos, rtype, length
        pos += 4 + length


def patch_stream(path, edit):
    """Applies `edit(stream: bytearray)` to the workbook stream inside the OLE2 file at `path`,
    in place: the stream keeps its length, so only its bytes in the container change."""
    import xlrd.compdoc
    data = bytearray(path.read_bytes())
    doc = xlrd.compdoc.CompDoc(bytes(data), logfile=open(os.devnull, "w"))
    name = next(n for n in ("Workbook", "Book") if doc.get_named_stream(n) is not None)
    entry = next(d for d in doc.dirlist if d.name == name)
    stream = bytearray(doc.get_named_stream(name))
    edit(stream)
    # Write the stream back sector by sector along its own chain (mini or regular).
    if entry.tot_size < doc.min_size_std_stream:
        root = doc.dirlist[0]
        sectors, size, base = [], doc.short_sec_size, None
        s = entry.first_SID
        while s >= 0:
            sectors.append(s)
            s = doc.SSAT[s]
        mini = []
        s = root.first_SID
        while s >= 0:
            mini.append(s)
            s = doc.SAT[s]
        for i, sid in enumerate(sectors):
            chunk = stream[i * size:(i + 1) * size]
            pos = sid * size
            big = mini[pos // doc.sec_size]
            off = 512 + big * doc.sec_size + pos % doc.sec_size
            data[off:off + len(chunk)] = chunk
    else:
        s, i = entry.first_SID, 0
        while s >= 0:
            chunk = stream[i * doc.sec_size:(i + 1) * doc.sec_size]
            off = 512 + s * doc.sec_size
            data[off:off + len(chunk)] = chunk
            s, i = doc.SAT[s], i + 1
    path.write_bytes(bytes(data))


def patch_codepage(path, codepage):
    """Sets the CODEPAGE record (0x0042) of a BIFF5 file to `codepage`."""
    def edit(stream):
        pos = next(p for p, t, _ in records(stream) if t == 0x0042)
        struct.pack_into("<H", stream, pos + 4, codepage)
    patch_stream(path, edit)


def patch_chart_sheet_first(path):
    """Gnumeric writes a chart sheet as an empty worksheet (BOUNDSHEET type 0, BOF type 0x10) and
    drops the chart. This marks the first sheet what Excel writes for a chart sheet: BOUNDSHEET
    type 2 and BOF substream type 0x20."""
    def edit(stream):
        pos = next(p for p, t, _ in records(stream) if t == 0x0085)
        stream[pos + 4 + 5] = 2
        bof = struct.unpack_from("<I", stream, pos + 4)[0]
        struct.pack_into("<H", stream, bof + 4 + 2, 0x0020)
    patch_stream(path, edit)


def patch_stream_name(path, old, new):
    """Renames a root directory entry (same length, UTF-16LE), e.g. `Book` to `BOOK`."""
    data = bytearray(path.read_bytes())
    needle = old.encode("utf-16-le") + b"\0\0"
    at = data.index(needle, 512)
    data[at:at + len(needle)] = new.encode("utf-16-le") + b"\0\0"
    path.write_bytes(bytes(data))


def write_formulas_xlsx(path):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Formulas")
    ws.write_row(0, 0, ["kind", "value"])
    for r, (kind, value, cached, fmt, _) in enumerate(FORMULA_ROWS, start=1):
        ws.write_string(r, 0, kind)
        style = wb.add_format({"num_format": fmt}) if fmt is not None else None
        if isinstance(value, str) and value.startswith("="):
            ws.write_formula(r, 1, value, style, cached)
        elif isinstance(value, bool):
            ws.write_boolean(r, 1, value)
        else:
            ws.write_number(r, 1, value, style)
    wb.close()


def formulas_expected():
    return [["kind", "value"]] + [row_texts([kind, text]) for kind, _, _, _, text in FORMULA_ROWS]


def write_sheets_xlsx(path, first_name, first_rows, hide_first=False, chart=False):
    """A first sheet holding `first_rows` (formulas as `=…` strings), then the contact table."""
    wb = xlsxwriter.Workbook(str(path))
    first = wb.add_worksheet(first_name)
    for r, values in enumerate(first_rows):
        for c, value in enumerate(values):
            if isinstance(value, str) and value.startswith("="):
                first.write_formula(r, c, value)
            else:
                first.write(r, c, value)
    data = wb.add_worksheet("Contacts")
    data.write_row(0, 0, CONTACT_HEADER)
    for r, values in enumerate(CONTACTS, start=1):
        for c, value in enumerate(values):
            if value is not None and not isinstance(value, dt.date):
                data.write(r, c, value)
    if hide_first:
        data.activate()
        first.hide()
    if chart:
        ch = wb.add_chart({"type": "column"})
        ch.add_series({"values": [first_name, 0, 1, len(first_rows) - 1, 1]})
        first.insert_chart("D2", ch)
    wb.close()


def write_xlwt_numbers(path):
    """Only numbers: xlwt still writes an SST record, with no strings in it."""
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Numbers")
    for r, value in enumerate([4155552671, 2125550100, 0.5]):
        ws.write(r, 0, value)
    wb.save(str(path))


def sst_continue_rows():
    """Enough distinct strings that the SST spans CONTINUE records, one- and two-byte strings
    mixed so the width changes at the boundaries, and one string longer than a record."""
    rows = [[f"contact {i:04d}", f"Zoë Müller {i}" if i % 3 else f"日本語 {i}"] for i in range(3000)]
    rows.append(["long", "x" * 9000 + "é" + "y" * 9000])
    return rows


def write_xlwt_rows(path, sheet, rows):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            ws.write(r, c, value)
    wb.save(str(path))


def write_codepage_xlsx(path, codepage):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Text")
    for r, text in enumerate(CODEPAGE_TEXT[codepage]):
        ws.write_string(r, 0, codepage_bytes(text, codepage).decode("cp1252"))
    wb.close()


def xls_cases(made, table, gnumeric):
    """The XLS reader's cases (see the module docstring)."""
    tmp = OUT / "sources"
    tmp.mkdir(exist_ok=True)
    write_formulas_xlsx(tmp / "formulas.xlsx")
    for name, exporter in (("formulas_biff8.xls", "Gnumeric_Excel:excel_biff8"),
                           ("formulas_biff5.xls", "Gnumeric_Excel:excel_biff7")):
        ssconvert(tmp / "formulas.xlsx", OUT / name, exporter)
        made(table, name, f"{gnumeric} {exporter}, from XlsxWriter", "Formulas", formulas_expected(),
             "formulas by their cached number, string, boolean or error; BOOLERR cells; date, date-time and "
             "time formats (a date-only format on a value with a time prints the time too)")
    write_sheets_xlsx(tmp / "formula_first.xlsx", "Calc", [["=6*7"]])
    ssconvert(tmp / "formula_first.xlsx", OUT / "formula_first.xls", "Gnumeric_Excel:excel_biff8", recalc=True)
    made(table, "formula_first.xls", f"{gnumeric}, from XlsxWriter", "Calc", [["42"]],
         "the first sheet holds one formula (like xlrd's namesdemo.xls): it is read, not skipped")
    write_sheets_xlsx(tmp / "hidden_first.xlsx", "Hidden", [["hidden", "sheet"], [1, 2]], hide_first=True)
    ssconvert(tmp / "hidden_first.xlsx", OUT / "hidden_first.xls", "Gnumeric_Excel:excel_biff8")
    made(table, "hidden_first.xls", f"{gnumeric}, from XlsxWriter", "Hidden", [["hidden", "sheet"], ["1", "2"]],
         "a hidden first worksheet is still the first worksheet")
    write_sheets_xlsx(tmp / "embedded_chart.xlsx", "Chart data", [["label", "value"], ["a", 1], ["b", 2]], chart=True)
    ssconvert(tmp / "embedded_chart.xlsx", OUT / "embedded_chart.xls", "Gnumeric_Excel:excel_biff8")
    made(table, "embedded_chart.xls", f"{gnumeric}, from XlsxWriter with a chart on the sheet", "Chart data",
         [["label", "value"], ["a", "1"], ["b", "2"]], "an embedded chart's BOF…EOF substream inside the sheet is skipped")
    first = OUT / "chart_sheet_first.xls"
    shutil.copy(OUT / "ssconvert_chartsheet_first.xls", first)
    patch_chart_sheet_first(first)
    made(table, first.name, f"{gnumeric}, patched: the first sheet marked a chart sheet (patch_chart_sheet_first)",
         "Contacts", expected_contacts(), "a chart sheet in front of the data is skipped")
    gnumeric_chart = OUT / "ssconvert_chartsheet_first.xls"
    made(table, gnumeric_chart.name, f"{gnumeric}, from xlsxwriter_chartsheet_first.xlsx", "Chart", [],
         "Gnumeric writes the chart sheet as an empty worksheet (BOUNDSHEET and BOF say worksheet, no chart "
         "inside), so the first worksheet is empty; SPEC §4 never replaces it by a later sheet")
    book = OUT / "book_stream_upper.xls"
    shutil.copy(OUT / "ssconvert_biff5.xls", book)
    patch_stream_name(book, "Book", "BOOK")
    quote = next(i for i, r in enumerate(CONTACTS) if r and str(r[0]).startswith("'"))
    stripped = with_changes(expected_contacts(), {(quote + 1, 0): CONTACTS[quote][0].lstrip("'")})
    made(table, book.name, f"{gnumeric} excel_biff7, patched: stream renamed Book → BOOK (patch_stream_name)",
         "contacts_source.csv", stripped, "the workbook stream is found by name in any letter case")
    write_xlwt_numbers(OUT / "xlwt_no_strings.xls")
    made(table, "xlwt_no_strings.xls", "xlwt (BIFF8), numbers only: an SST record with no strings", "Numbers",
         [["4155552671"], ["2125550100"], ["0.5"]], "an empty shared-string table is valid")
    write_xlwt_rows(OUT / "xlwt_sst_continue.xls", "Strings", sst_continue_rows())
    made(table, "xlwt_sst_continue.xls", "xlwt (BIFF8), 6,000 distinct strings", "Strings", sst_continue_rows(),
         "the shared-string table spans CONTINUE records, strings split across them change width")
    for codepage in (1252, 1251, 1258):
        name = f"biff5_cp{codepage}.xls"
        write_codepage_xlsx(tmp / f"cp{codepage}.xlsx", codepage)
        ssconvert(tmp / f"cp{codepage}.xlsx", OUT / name, "Gnumeric_Excel:excel_biff7")
        producer = f"{gnumeric} excel_biff7"
        if codepage != 1252:
            patch_codepage(OUT / name, codepage)
            producer += f", patched: CODEPAGE 1252 → {codepage} (patch_codepage)"
        made(table, name, producer, "Text", [[unicodedata.normalize("NFC", t)] for t in CODEPAGE_TEXT[codepage]],
             f"BIFF5 text decoded in code page {codepage} (compared in Unicode NFC: iconv composes CP1258's "
             "combining marks)")


# --- main ------------------------------------------------------------------------------------------

def main():
    OUT.mkdir(parents=True, exist_ok=True)
    # The phone differential test's inputs with phonenumbers' verdicts (PhoneOracleTests).
    run([sys.executable, str(Path(__file__).parent / "make_phone_oracle.py"), "--out", str(OUT / "phone_oracle.tsv")])
    types_values = [[kind, value] for kind, value, _ in TYPES]
    types_formats = {types_index(kind) + 1: fmt for kind, _, fmt in TYPES if fmt}

    contacts = {}  # file name -> entry for expected.json
    types = {}
    xls = {}
    skipped = {}

    def made(table, name, producer, sheet, rows=None, why=None):
        entry = {"producer": producer, "sheet": sheet}
        if rows is not None:
            entry["rows"], entry["why"] = rows, why
        table[name] = entry
        print(f"  wrote {name}")

    openpyxl_v = f"openpyxl {openpyxl.__version__}"
    xlsxwriter_v = f"XlsxWriter {xlsxwriter.__version__}"
    xlwt_v = f"xlwt {xlwt.__VERSION__}"

    # Contacts, by Python libraries.
    write_openpyxl(OUT / "openpyxl.xlsx", CONTACT_HEADER, CONTACTS)
    made(contacts, "openpyxl.xlsx", openpyxl_v, "Contacts")
    write_xlsxwriter(OUT / "xlsxwriter.xlsx", CONTACT_HEADER, CONTACTS)
    made(contacts, "xlsxwriter.xlsx", xlsxwriter_v, "Contacts")
    write_xlsxwriter(OUT / "xlsxwriter_constant_memory.xlsx", CONTACT_HEADER, CONTACTS,
                     options={"constant_memory": True})
    made(contacts, "xlsxwriter_constant_memory.xlsx", xlsxwriter_v + " constant_memory (inline strings)", "Contacts")
    write_xlsxwriter(OUT / "xlsxwriter_1904.xlsx", CONTACT_HEADER, CONTACTS, options={"date_1904": True})
    made(contacts, "xlsxwriter_1904.xlsx", xlsxwriter_v + " date_1904", "Contacts")
    write_xlsxwriter(OUT / "xlsxwriter_chartsheet_first.xlsx", CONTACT_HEADER, CONTACTS, chartsheet_first=True)
    made(contacts, "xlsxwriter_chartsheet_first.xlsx", xlsxwriter_v + ", a chartsheet before the data", "Contacts")
    write_xlwt(OUT / "xlwt.xls", CONTACT_HEADER, CONTACTS)
    made(contacts, "xlwt.xls", xlwt_v + " (BIFF8)", "Contacts")
    write_xlwt(OUT / "xlwt_1904.xls", CONTACT_HEADER, CONTACTS, dates_1904=True)
    made(contacts, "xlwt_1904.xls", xlwt_v + " (BIFF8, 1904 date system)", "Contacts")

    # Contacts, converted from a CSV by spreadsheet applications.
    source = OUT / "contacts_source.csv"
    write_source_csv(source)
    print("  wrote contacts_source.csv (input for the converters; not a reader fixture)")
    quote = next(i for i, r in enumerate(CONTACTS) if r and str(r[0]).startswith("'"))
    stripped = with_changes(expected_contacts(), {(quote + 1, 0): CONTACTS[quote][0].lstrip("'")})
    quote_why = "the converter's CSV import takes a leading ' as its text marker and drops it"
    if shutil.which("ssconvert"):
        gnumeric = version(["ssconvert", "--version"])
        sheet = source.name  # Gnumeric names the sheet after the CSV file
        for name, exporter in (("ssconvert.xlsx", "Gnumeric_Excel:xlsx2"),
                               ("ssconvert.xls", "Gnumeric_Excel:excel_biff8"),
                               ("ssconvert_biff5.xls", "Gnumeric_Excel:excel_biff7")):
            ssconvert(source, OUT / name, exporter)
            made(contacts, name, f"{gnumeric} {exporter}", sheet, stripped, quote_why)
        ssconvert(OUT / "xlsxwriter_chartsheet_first.xlsx", OUT / "ssconvert_chartsheet_first.xls",
                  "Gnumeric_Excel:excel_biff8")
        xls_cases(made, xls, gnumeric)
    else:
        skipped["ssconvert"] = "ssconvert (gnumeric) is not on PATH"
    if shutil.which("soffice") or shutil.which("libreoffice"):
        office = version([shutil.which("soffice") or shutil.which("libreoffice"), "--version"])
        for name, filter_name in (("libreoffice.xlsx", "xlsx:Calc MS Excel 2007 XML"),
                                  ("libreoffice.xls", "xls:MS Excel 97")):
            libreoffice(source, OUT / name, filter_name)
            made(contacts, name, office, source.stem, stripped, quote_why)
    else:
        skipped["libreoffice"] = "neither soffice nor libreoffice is on PATH"

    # Types.
    write_openpyxl(OUT / "types_openpyxl.xlsx", TYPES_HEADER, types_values, types_formats)
    made(types, "types_openpyxl.xlsx", openpyxl_v, "Types",
         with_changes(expected_types(), {(types_index("formula"), 1): ""}),
         "openpyxl writes formulas without a cached result")
    write_xlsxwriter(OUT / "types_xlsxwriter.xlsx", TYPES_HEADER, types_values, types_formats)
    made(types, "types_xlsxwriter.xlsx", xlsxwriter_v, "Types")
    write_xlwt(OUT / "types_xlwt.xls", TYPES_HEADER, types_values, types_formats)
    made(types, "types_xlwt.xls", xlwt_v + " (BIFF8)", "Types", with_changes(expected_types(), {
        (types_index("datetime_rounds_up"), 1): "2024-03-15T13:59:59",
        (types_index("formula"), 1): "",
    }), "xlwt drops the microseconds of a datetime (so nothing rounds up) and writes formulas without a "
        "cached result")

    expected = {
        "about": "Rows `dropdial inspect --json` prints for each generated file (SPEC §4), header first. "
                 "A file's own `rows` replaces the table's `rows`; `why` says what the producer or the "
                 "reader's library cannot do. Written by scripts/make_fixtures.py.",
        "contacts": {"rows": expected_contacts(), "files": contacts},
        "types": {"rows": expected_types(), "files": types},
        "xls": {"rows": [], "files": xls},
        "skipped": skipped,
    }
    with open(OUT / "expected.json", "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("  wrote expected.json")
    for what, why in skipped.items():
        print(f"  skipped {what}: {why}")


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as error:
        sys.exit(str(error))
