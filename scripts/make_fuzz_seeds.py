#!/usr/bin/env python3
"""Write the fuzzers' seed corpora into .build-fuzz/seeds/{csv,xlsx,xls,manifest}/ (git-ignored).

Run from anywhere:  python3 scripts/make_fuzz_seeds.py [OUT]

Seeds come from samples/, from Tests/Fixtures/generated/ when scripts/make_fixtures.py has run,
and from small hand-built cases written out below (the quirks the unit tests pin down). XLSX seeds
are small valid workbooks twice over: as zip files, and in the xlsx fuzzer's parts form
(NAME\\0CONTENT\\0...), which it zips itself so that mutations land in the XML. No binary blob is
kept in git; everything is rebuilt from these sources.
"""

import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".build-fuzz" / "seeds"
GENERATED = ROOT / "Tests" / "Fixtures" / "generated"


def put(target: str, data: bytes) -> None:
    """Stores one seed under its content hash, so reruns do not duplicate."""
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def files(folder: Path, *suffixes: str):
    if folder.is_dir():
        for p in sorted(folder.iterdir()):
            if p.suffix.lower() in suffixes:
                yield p


# --- CSV --------------------------------------------------------------------------------------

CSV_CASES = [
    "phone_number,first_name\n4155552671,Ada\n",
    "phone_number;first_name;amount\r\n4155552671;Zoë;1,5\r\n",
    "phone\tname\n4155552671\tAda\n",
    "phone|name\r4155552671|Ada\r",
    "sep=;\nphone;name\n1;2\n",
    'phone,note\n1,"a,b"\n2,"say ""hi"""\n3,"multi\nline"\n',
    'a,b\n1, "x,y"\n2,"x"yz\n',
    'a,b\n1,"unterminated\n',
    "a,b\n\n1,2\n\n",
    "Doe, John\nRoe, Jane\nPoe, Edgar\n",
    "a,b,c\n1,2\n1,2,3,4\n",
    "a,b\r\n1,2\r\n",
    "a,b\n1,2",
    '"a"\n"b"\n',
    "",
    "\n",
    ",,,\n",
]

CSV_BYTES = [
    b"\xef\xbb\xbfphone,name\n4155552671,Z\xc3\xb6e\n",
    b"\xef\xbb\xbfphone,name\n1,\xff\xfe bad after BOM\n",
    b"phone,name\n1,M\xfcller\n2,\x80\x9c\x9d\n",
    b"phone,name\n1,caf\xc3",  # truncated UTF-8 at the very end
    b"phone,name\n1,\x00\n",
    "\ufeffphone\tname\n1\tZoë\n2\t\U0001F600\n".encode("utf-16-le"),
    "\ufeffphone,name\n1,Zoë\n".encode("utf-16-be"),
    b"\xff\xfe" + "a,b\n1,\ud83d".encode("utf-16-le", "surrogatepass"),
    b"\xff\xfea",  # odd byte count
]


def csv_seeds() -> None:
    for text in CSV_CASES:
        put("csv", text.encode())
    for data in CSV_BYTES:
        put("csv", data)
    for p in files(ROOT / "samples", ".csv", ".tsv", ".txt"):
        put("csv", p.read_bytes())
    for p in files(GENERATED, ".csv", ".tsv", ".txt"):
        put("csv", p.read_bytes())


# --- XLSX -------------------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')


def rels(items, base=REL + "/"):
    body = "".join(f'<Relationship Id="{i}" Type="{base}{t}" Target="{target}"/>' for i, t, target in items)
    return HEAD + f'<Relationships xmlns="{PKG}">{body}</Relationships>'


def workbook(rows, strings=None, styles=None, workbook_pr="", sheets=None, namespace=MAIN, root_rels=True):
    """The parts of a one-sheet workbook (name → text), like the tests' XLSXBuilder."""
    parts = {"[Content_Types].xml": CONTENT_TYPES}
    if root_rels:
        parts["_rels/.rels"] = rels([("rId1", "officeDocument", "xl/workbook.xml")])
    sheets = sheets or '<sheet name="Contacts" sheetId="1" r:id="rId1"/>'
    parts["xl/workbook.xml"] = (HEAD + f'<workbook xmlns="{namespace}" xmlns:r="{REL}">'
                                f'<workbookPr {workbook_pr}/><sheets>{sheets}</sheets></workbook>')
    items = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    if strings is not None:
        items.append(("rId2", "sharedStrings", "sharedStrings.xml"))
        parts["xl/sharedStrings.xml"] = (HEAD + f'<sst xmlns="{namespace}" count="{len(strings)}" '
                                         f'uniqueCount="{len(strings)}">{"".join(strings)}</sst>')
    if styles is not None:
        items.append(("rId3", "styles", "styles.xml"))
        parts["xl/styles.xml"] = HEAD + f'<styleSheet xmlns="{namespace}">{styles}</styleSheet>'
    parts["xl/_rels/workbook.xml.rels"] = rels(items)
    parts["xl/worksheets/sheet1.xml"] = HEAD + f'<worksheet xmlns="{namespace}"><sheetData>{rows}</sheetData></worksheet>'
    return parts


DATE_STYLES = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
               '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>'
               '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
               '<xf numFmtId="165"/><xf numFmtId="14"/></cellXfs>')

WORKBOOKS = [
    workbook('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2"><v>4155552671</v></c><c r="B2" t="s"><v>2</v></c></row>',
             strings=["<si><t>phone_number</t></si>", "<si><t>first_name</t></si>",
                      '<si><r><rPr><b/></rPr><t xml:space="preserve">Zo</t></r><r><t>ë</t></r><rPh><t>x</t></rPh></si>']),
    workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>phone</t></is></c><c r="C1" t="str"><f>A1</f><v>x</v></c></row>'
             '<row r="3"><c r="A3"><v>1.5</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c></row>'),
    workbook('<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" s="2"><v>1.25</v></c><c r="C1" s="3"><v>0</v></c>'
             '<c r="D1" t="d"><v>2024-03-15T10:20:30Z</v></c><c r="E1"><v>1E+16</v></c></row>',
             styles=DATE_STYLES, workbook_pr='date1904="1"'),
    workbook('<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>a_x000D_b &amp; &#233;</t></is></c></row>'),
    workbook('<row r="2" spans="1:2"><c r="B2"><v>7</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>'
             '<row r="5"><c r="A5" s="1"/></row>'),
    workbook('<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>2</v></c></row>'),
    workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=["<si><t>strict</t></si>"], namespace=STRICT),
    workbook('<row r="1"><c r="A1"><v>1</v></c></row>', root_rels=False),
    workbook('<row r="1"><c r="A1"><v>1</v></c></row>',
             sheets='<sheet name="Hidden" sheetId="2" state="hidden" r:id="rId1"/><sheet name="Other" sheetId="3" r:id="rId9"/>'),
]


def zipped(parts, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), text.encode() if isinstance(text, str) else text,
                       compress_type=method)
    return buf.getvalue()


def as_parts(parts) -> bytes:
    out = b""
    for name, text in parts.items():
        out += name.encode() + b"\0" + (text.encode() if isinstance(text, str) else text) + b"\0"
    return out


def xlsx_seeds() -> None:
    for parts in WORKBOOKS:
        put("xlsx", as_parts(parts))
        put("xlsx", zipped(parts))
        put("xlsx", zipped(parts, zipfile.ZIP_STORED))
    real = list(files(ROOT / "samples", ".xlsx")) + list(files(GENERATED, ".xlsx"))
    for p in real:
        data = p.read_bytes()
        put("xlsx", data)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            put("xlsx", as_parts({n: z.read(n) for n in z.namelist()}))


# --- manifest ---------------------------------------------------------------------------------

MANIFESTS = [
    {"batchName": "May", "scheduledAt": "2026-05-01T09:00:00+02:00", "timezone": "Europe/Berlin",
     "callingWindow": {"start": "10:00", "end": "16:30"}, "allowedDays": [1, 3, 7],
     "retry": {"count": 2, "intervalMinutes": 30},
     "smartCallbackConfig": {"enabled": True, "maxAttempts": 4, "gaps": [{"days": 1, "hours": 0}, {"days": 0, "hours": 4}]},
     "holidays": ["2026-12-25"]},
    {"scheduledAt": "2026-05-01T09:00:00"},
    {"scheduledAt": "2026-05-01T09:00:00.250Z"},
    {"scheduledAt": "2026-05-01T09:00"},
    {"scheduledAt": "2026-05-01"},
    {"timezone": "US/Eastern"},
    {"timezone": "PST"},
    {"batchName": None, "retry": {"count": 0}},
    {"allowedDays": [0, 7]},
    {"smartCallbackConfig": {"enabled": False, "maxAttempts": 1}},
    {"holidays": ["2024-02-29", "2026-02-30"]},
]
MANIFEST_TEXT = ['[1]', '{}', '{"batchNmae":"x"}', '{"retry":{"count":1e300}}', '{"allowedDays":[1.0, 2.5]}',
                 '{"callingWindow":{"start":"24:00","end":"09:00"}}', '{"batchName":"\\u0000\\ud800"}']


def xls_seeds() -> None:
    """Every .xls from samples/ and the generated fixtures, whole and as its bare workbook stream
    (the xls fuzzer wraps a bare stream in a container itself, so mutations land in the records)."""
    import xlrd.compdoc
    for p in list(files(ROOT / "samples", ".xls")) + list(files(GENERATED, ".xls")):
        data = p.read_bytes()
        put("xls", data)
        try:
            doc = xlrd.compdoc.CompDoc(data, logfile=open("/dev/null", "w"))
            for name in ("Workbook", "Book"):
                stream = doc.get_named_stream(name)
                if stream:
                    put("xls", bytes(stream))
                    break
        except Exception:  # a deliberately damaged fixture: the whole file is seed enough
            pass


def manifest_seeds() -> None:
    for m in MANIFESTS:
        put("manifest", json.dumps(m).encode())
    for text in MANIFEST_TEXT:
        put("manifest", text.encode())
    for p in files(ROOT / "samples", ".json"):
        put("manifest", p.read_bytes())


if __name__ == "__main__":
    csv_seeds()
    xlsx_seeds()
    xls_seeds()
    manifest_seeds()
    for target in ("csv", "xlsx", "xls", "manifest"):
        print(f"{target}: {len(list((OUT / target).iterdir()))} seeds in {OUT / target}")
