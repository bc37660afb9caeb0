#!/usr/bin/env python3
"""Writes the hostile-input corpus (issue 7) into a folder, at test time: nothing is committed.

    scripts/make_hostile.py OUT_DIR [--only NAME,NAME] [--list]

Every case is one file named `NAME.EXT`. `OUT_DIR/hostile.json` lists them with what a reader
must make of each: the report status and the accepted error codes (any one of them). Files the
daemon must never read (FIFO, folder, symlink, unreadable file, a file deleted while settling)
are made by the tests themselves, since they only mean something inside an inbox.

Python standard library only. Big cases are streamed, never held whole in memory.
"""
import json
import os
import struct
import sys
import zipfile
import zlib

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MB = 1 << 20

CONTENT_TYPES = XML_DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = XML_DECL + (
    f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
    f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = XML_DECL + (
    f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
    '<sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>')


def workbook_rels(shared=False):
    items = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared:
        items += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    return XML_DECL + f'<Relationships xmlns="{PKG}">{items}</Relationships>'


def sheet(rows_xml, prolog=""):
    return XML_DECL + prolog + f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>phone</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
GOOD_ROW = '<row r="2"><c r="A2"><v>4155552671</v></c><c r="B2" t="inlineStr"><is><t>Ada</t></is></c></row>'


def skeleton(zf, sheet_xml=None, shared=None, workbook=WORKBOOK, rels=None):
    """The parts of a one-sheet workbook; `sheet_xml`/`shared` None leaves that part out."""
    zf.writestr("[Content_Types].xml", CONTENT_TYPES)
    zf.writestr("_rels/.rels", ROOT_RELS)
    zf.writestr("xl/workbook.xml", workbook)
    zf.writestr("xl/_rels/workbook.xml.rels", rels or workbook_rels(shared is not None))
    if shared is not None:
        zf.writestr("xl/sharedStrings.xml", shared)
    if sheet_xml is not None:
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)


def open_zip(path):
    return zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)


def repeated_deflate(head, chunk, count, tail):
    """Raw deflate of head + chunk * count + tail, compressing `chunk` once: after a full flush a
    deflate block needs no earlier history, so the same block bytes can be repeated. Returns the
    pieces, the CRC-32 and the inflated size."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return [first] + [block] * count + [last], crc, len(head) + len(chunk) * count + len(tail)


def raw_zip(path, small, big):
    """A zip of `small` {name: text} parts (deflated) and one `big` (name, pieces, crc, size)
    entry written from pre-deflated pieces, so a gigabyte entry costs one compressed block."""
    entries = []
    for name, text in small.items():
        data = text.encode() if isinstance(text, str) else text
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((name, [c.compress(data) + c.flush()], zlib.crc32(data), len(data)))
    entries.append(big)
    central, offset = b"", 0
    with open(path, "wb") as f:
        for name, pieces, crc, size in entries:
            n = name.encode()
            csize = sum(len(p) for p in pieces)
            local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, csize, size, len(n), 0) + n
            f.write(local)
            for p in pieces:
                f.write(p)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, csize, size,
                                   len(n), 0, 0, 0, 0, 0, offset) + n
            offset += len(local) + csize
        f.write(central)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), offset, 0))


def skeleton_parts(shared=None):
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
             "xl/_rels/workbook.xml.rels": workbook_rels(shared is not None)}
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


# --- zip bombs ---------------------------------------------------------------------------------

def bomb_ratio(path):
    """A well-formed sheet of 256 MB of identical rows: ~1000x its compressed size."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
    head = (XML_DECL + f'<worksheet xmlns="{MAIN}"><sheetData>' + HEADER_ROW).encode()
    big = ("xl/worksheets/sheet1.xml",) + repeated_deflate(head, row, 256 * MB // len(row), b"</sheetData></worksheet>")
    raw_zip(path, skeleton_parts(), big)


def bomb_1gb(path):
    """A sheet entry inflating to 1.5 GB (zeros)."""
    big = ("xl/worksheets/sheet1.xml",) + repeated_deflate(b"", bytes(MB), 1536, b"")
    raw_zip(path, skeleton_parts(), big)


def entries_100k(path):
    """A valid workbook plus 100,000 one-byte entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        skeleton(zf, sheet(HEADER_ROW + GOOD_ROW))
        for i in range(100_000):
            zf.writestr(f"junk/{i}.bin", b"x")


def duplicate_names(path):
    """Two entries named xl/worksheets/sheet1.xml with different rows: which one a reader sees
    depends on the reader, so the package is refused."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open_zip(path) as zf:
            skeleton(zf, sheet(HEADER_ROW + GOOD_ROW))
            zf.writestr("xl/worksheets/sheet1.xml",
                        sheet(HEADER_ROW + GOOD_ROW.replace("4155552671", "4155552672")))


def dotdot_entries(path):
    """Entries named ../ (never extracted, never written) and a sheet relationship that climbs
    out of the package to ../../../../etc/passwd."""
    rels = XML_DECL + (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
                       'Target="../../../../../etc/passwd"/></Relationships>')
    with open_zip(path) as zf:
        skeleton(zf, rels=rels)
        zf.writestr("../../../../../tmp/dropdial-hostile-escape.txt", "escaped")
        zf.writestr("../../etc/passwd", "root:x:0:0::/root:/bin/sh\n")


# --- XML attacks -------------------------------------------------------------------------------

def xxe(path):
    prolog = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    with open_zip(path) as zf:
        skeleton(zf, sheet(HEADER_ROW + row, prolog))


def billion_laughs(path):
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
    prolog = f"<!DOCTYPE worksheet [{ents}]>"
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    with open_zip(path) as zf:
        skeleton(zf, sheet(HEADER_ROW + row, prolog))


def doctype_plain(path):
    """A harmless-looking DOCTYPE in workbook.xml: any DOCTYPE is refused."""
    with open_zip(path) as zf:
        skeleton(zf, sheet(HEADER_ROW + GOOD_ROW), workbook=WORKBOOK.replace(XML_DECL, XML_DECL + "<!DOCTYPE workbook>"))


def nesting_10k(path):
    deep = "<x>" * 10_000 + "</x>" * 10_000
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>4155552671</t>{deep}</is></c></row>'
    with open_zip(path) as zf:
        skeleton(zf, sheet(HEADER_ROW + row))


# --- spreadsheet limits ------------------------------------------------------------------------

def sst_unique_count(path):
    shared = XML_DECL + f'<sst xmlns="{MAIN}" count="2147483647" uniqueCount="2147483647"><si><t>Ada</t></si></sst>'
    row = '<row r="2"><c r="A2"><v>4155552671</v></c><c r="B2" t="s"><v>0</v></c></row>'
    with open_zip(path) as zf:
        skeleton(zf, sheet(HEADER_ROW + row), shared=shared)


def shared_1mb_x1m(path):
    """One shared string of 1,000,000 bytes referenced by 1,000,000 cells (a 1 TB expansion).
    The rows differ (row numbers, phone numbers), so the sheet itself inflates only ~10x: the
    zip ratio check does not see this one; only the reader's expansion budget does."""
    shared = XML_DECL + f'<sst xmlns="{MAIN}" count="1000000" uniqueCount="1"><si><t>{"x" * 1_000_000}</t></si></sst>'

    def rows():
        yield (XML_DECL + f'<worksheet xmlns="{MAIN}"><sheetData>' + HEADER_ROW).encode()
        for start in range(2, 1_000_002, 10_000):
            yield "".join(f'<row r="{r}"><c r="A{r}"><v>{4155550000 + r % 10000}</v></c><c r="B{r}" t="s"><v>0</v></c></row>'
                          for r in range(start, min(start + 10_000, 1_000_002))).encode()
        yield b"</sheetData></worksheet>"
    with open_zip(path) as zf:
        skeleton(zf, shared=shared)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            for chunk in rows():
                out.write(chunk)


def cell_100mb(path):
    """An inline string of 100 MB of base64 noise, stored (not deflated): only the cell limit,
    not the zip ratio check, stops it."""
    import base64
    head = (XML_DECL + f'<worksheet xmlns="{MAIN}"><sheetData>' + HEADER_ROW
            + '<row r="2"><c r="A2"><v>4155552671</v></c><c r="B2" t="inlineStr"><is><t>').encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        skeleton(zf)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(head)
            for _ in range(100):
                out.write(base64.b64encode(os.urandom(3 * MB // 4)))
            out.write(b"</t></is></c></row></sheetData></worksheet>")


def cell_xfd1048576(path):
    row = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far away</t></is></c></row>'
    with open_zip(path) as zf:
        skeleton(zf, sheet(HEADER_ROW + GOOD_ROW + row))


def truncated_zip(path):
    good = path + ".full"
    with open_zip(good) as zf:
        skeleton(zf, sheet(HEADER_ROW + GOOD_ROW * 200))
    data = open(good, "rb").read()
    os.unlink(good)
    open(path, "wb").write(data[: len(data) * 2 // 3])


def not_a_zip(path):
    open(path, "wb").write(b"phone,name\n4155552671,Ada\n" * 100)


def missing_sheet(path):
    with open_zip(path) as zf:
        skeleton(zf)  # the relationship names worksheets/sheet1.xml; the part is not there


# --- crafted XLS (compound file binary) --------------------------------------------------------

FREE, END_OF_CHAIN, FAT_SECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def cfb_header(num_fat, first_dir, difat, first_minifat=END_OF_CHAIN, num_minifat=0):
    h = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
    h += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    h += struct.pack("<IIII", 0, num_fat, first_dir, 0)
    h += struct.pack("<IIIII", 4096, first_minifat, num_minifat, END_OF_CHAIN, 0)
    difat = list(difat) + [FREE] * (109 - len(difat))
    h += struct.pack("<109I", *difat)
    assert len(h) == 512
    return h


def dir_entry(name, kind, start, size, child=FREE):
    n = (name + "\0").encode("utf-16-le")
    e = n + bytes(64 - len(n)) + struct.pack("<HBB", len(n), kind, 1)
    e += struct.pack("<III", FREE, FREE, child) + bytes(16) + bytes(4) + bytes(16)
    e += struct.pack("<IIi", start, size, 0)
    assert len(e) == 128
    return e


def xls_bogus_counts(path):
    """A CFB header claiming 2^31 FAT sectors, every DIFAT slot pointing far past the end."""
    header = cfb_header(0x7FFFFFFF, 0x7FFFFFF0, [0x7FFFFF00 + i for i in range(109)])
    open(path, "wb").write(header + bytes(512 * 4))


def xls_fat_loop(path):
    """A CFB whose FAT sends the directory chain and the Workbook stream round in circles:
    sector 1 (directory) → 1, sector 2 (Workbook) → 3 → 2."""
    fat = [FAT_SECT, 1, 3, 2] + [FREE] * 124
    root = dir_entry("Root Entry", 5, END_OF_CHAIN, 0, child=1)
    wb = dir_entry("Workbook", 2, 2, 64 * MB)
    directory = root + wb + bytes(256)
    body = struct.pack("<128I", *fat) + directory + b"\x09\x08" * 256 + b"\x0a\x00" * 256
    open(path, "wb").write(cfb_header(1, 1, [0]) + body)


# --- delimited text ----------------------------------------------------------------------------

def write_chunks(path, chunks):
    with open(path, "wb") as f:
        for c in chunks:
            f.write(c)


def csv_unclosed_quote(path):
    write_chunks(path, [b'phone,name\n4155552671,"never closed '] + [(b"a,b\n" * (MB // 4))] * 50)


def csv_nul(path):
    open(path, "wb").write(b"phone,name\n4155552671,A\x00da\n")


def csv_invalid_utf8(path):
    open(path, "wb").write(b"phone,name\n4155552671,Ad\xff\xfea\n4155552672,\xc3\x28\n")


def csv_utf16_odd(path):
    text = "phone\tname\r\n4155552671\tAda\r\n".encode("utf-16-le")
    open(path, "wb").write(b"\xff\xfe" + text + b"\x41")


def csv_line_200mb(path):
    write_chunks(path, [b"phone,name\n4155552671,"] + [b"z" * MB] * 200 + [b"\n"])


def csv_100k_columns(path):
    write_chunks(path, [b"phone," + b",".join(b"c%d" % i for i in range(100_000)) + b"\n4155552671\n"])


def csv_1mb_phone_cells(path):
    """100 rows whose phone cell is 1 MB of text: each must be refused cheaply and reported
    briefly (the report keeps 256 characters of a value)."""
    write_chunks(path, [b"phone,name\n"] + [b"x" * 1_000_000 + b",n\n"] * 100)


def empty_file(path):
    open(path, "wb").close()


# name, extension, writer, expected status, accepted error codes (None: no file-level error)
CASES = [
    ("zip_bomb_ratio", "xlsx", bomb_ratio, "rejected", ["zip_bomb"]),
    ("zip_bomb_1gb", "xlsx", bomb_1gb, "rejected", ["zip_bomb"]),
    ("zip_100k_entries", "xlsx", entries_100k, "rejected", ["zip_bomb"]),
    ("zip_duplicate_names", "xlsx", duplicate_names, "rejected", ["corrupt"]),
    ("zip_dotdot_paths", "xlsx", dotdot_entries, "rejected", ["corrupt"]),
    ("xml_xxe", "xlsx", xxe, "rejected", ["unsafe_xml"]),
    ("xml_billion_laughs", "xlsx", billion_laughs, "rejected", ["unsafe_xml"]),
    ("xml_doctype", "xlsx", doctype_plain, "rejected", ["unsafe_xml"]),
    ("xml_nesting_10k", "xlsx", nesting_10k, "rejected", ["corrupt"]),
    ("sst_unique_count_2g", "xlsx", sst_unique_count, "imported", [None]),
    ("sst_1mb_string_x1m", "xlsx", shared_1mb_x1m, "rejected", ["zip_bomb"]),
    ("cell_XFD1048576", "xlsx", cell_xfd1048576, "imported", [None]),
    ("cell_100mb", "xlsx", cell_100mb, "rejected", ["cell_too_large"]),
    ("zip_truncated", "xlsx", truncated_zip, "rejected", ["corrupt"]),
    ("xlsx_not_a_zip", "xlsx", not_a_zip, "rejected", ["corrupt"]),
    ("xlsx_missing_sheet", "xlsx", missing_sheet, "rejected", ["corrupt"]),
    ("xls_cfb_bogus_counts", "xls", xls_bogus_counts, "rejected", ["corrupt"]),
    ("xls_cfb_fat_loop", "xls", xls_fat_loop, "rejected", ["corrupt"]),
    ("csv_unclosed_quote_50mb", "csv", csv_unclosed_quote, "rejected", ["cell_too_large", "malformed"]),
    ("csv_nul_bytes", "csv", csv_nul, "rejected", ["corrupt"]),
    ("csv_invalid_utf8", "csv", csv_invalid_utf8, "imported", [None]),
    ("csv_utf16_odd_length", "txt", csv_utf16_odd, "imported", [None]),
    ("csv_one_line_200mb", "csv", csv_line_200mb, "rejected", ["cell_too_large"]),
    ("csv_100k_columns", "csv", csv_100k_columns, "rejected", ["malformed"]),
    ("csv_1mb_phone_cells_x100", "csv", csv_1mb_phone_cells, "rejected", ["no_valid_rows"]),
    ("empty_0_bytes", "csv", empty_file, "rejected", ["empty_file"]),
]


def main(argv):
    argv = list(argv)
    only = None
    if "--only" in argv:
        i = argv.index("--only")
        only = set(argv[i + 1].split(","))
        del argv[i:i + 2]
    cases = [c for c in CASES if not only or c[0] in only]
    if "--list" in argv:
        for name, ext, _, status, codes in cases:
            print(f"{name}.{ext}\t{status}\t{'|'.join(c or '-' for c in codes)}")
        return 0
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = args[0]
    os.makedirs(out, exist_ok=True)
    manifest = []
    for name, ext, writer, status, codes in cases:
        file = f"{name}.{ext}"
        writer(os.path.join(out, file))
        manifest.append({"case": name, "file": file, "status": status, "codes": codes})
    with open(os.path.join(out, "hostile.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
