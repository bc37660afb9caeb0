#!/usr/bin/env python3
"""Reads an errors workbook (NAME.errors.xlsx) back with openpyxl, as Excel users' tools see it.

  errors_workbook.py read PATH
      prints JSON: {"sheets": [...], "frozen": "A2", "rows": [[{"value", "type", "fill", "comment"}]]}
      where type is openpyxl's data_type ('s' for text), fill the solid fill's RGB or null.
  errors_workbook.py fix PATH OUT OLD NEW
      replaces every cell equal to OLD by NEW (as text), deletes the `error` column, saves to OUT,
      as a person fixing the rows in a spreadsheet would.
"""
import json
import sys

import openpyxl


def read(path):
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for c in row:
            fill = None
            if c.fill is not None and c.fill.fill_type == "solid":
                fill = c.fill.fgColor.rgb
            cells.append({"value": c.value, "type": c.data_type, "fill": fill,
                          "comment": c.comment.text if c.comment else None})
        rows.append(cells)
    print(json.dumps({"sheets": book.sheetnames, "frozen": sheet.freeze_panes, "rows": rows}))


def fix(path, out, old, new):
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for c in row:
            if c.value == old:
                c.value = new
    if "error" in header:
        sheet.delete_cols(header.index("error") + 1)
    book.save(out)


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2])
    elif sys.argv[1] == "fix":
        fix(*sys.argv[2:6])
    else:
        sys.exit(__doc__)
