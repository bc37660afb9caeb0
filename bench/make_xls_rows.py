#!/usr/bin/env python3
"""Writes a 65,536-row contact table as BIFF8 with xlwt (the most rows an .xls sheet holds):
phone text, names, email, an amount, a date.   python3 bench/make_xls_rows.py OUT.xls [ROWS]"""
import datetime as dt
import sys

import xlwt

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 65_536
wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("Contacts")
date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
for c, name in enumerate(["phone_number", "first_name", "last_name", "email", "amount", "signup_date"]):
    ws.write(0, c, name)
first = ["Ada", "Grace", "Zoë", "José", "Amélie", "Li", "Mei", "Noah"]
last = ["Lovelace", "Hopper", "Müller", "Núñez", "O'Brien", "Wei", "Chen", "Park"]
start = dt.date(2020, 1, 1)
for r in range(1, rows):
    ws.write(r, 0, f"+1 415-555-{r % 10000:04d}")
    ws.write(r, 1, first[r % 8])
    ws.write(r, 2, last[r * 7 % 8])
    ws.write(r, 3, f"user{r}@example.com")
    ws.write(r, 4, r * 1.25)
    ws.write(r, 5, start + dt.timedelta(days=r % 1500), date_style)
wb.save(out)
