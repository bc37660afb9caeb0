#!/usr/bin/env bash
# CI-sized performance guard: imports the 100k-row benchmark CSV and XLSX with a release build and
# compares, in the same run on the same machine, against `sqlite3 .import` of the same CSV and
# python-calamine reading the same XLSX. Fails when dropdial is more than 3x over the issue-6
# targets (CSV <= 3.0x sqlite3, XLSX <= 1.0x calamine), i.e. a 3x slowdown fails, noise does not.
# usage: bench/ci_check.sh [ROWS]   (default 100000; needs a release build, built here if missing)
#        CI_CSV_BOUND / CI_XLSX_BOUND override the bounds (defaults 9.0 and 3.0).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
csv_bound=${CI_CSV_BOUND:-9.0}
xlsx_bound=${CI_XLSX_BOUND:-3.0}
[ -x .build/release/dropdial ] && [ -n "${CI_SKIP_BUILD:-}" ] || swift build -c release --product dropdial >&2
python3 -c 'import python_calamine' 2>/dev/null || python3 -m pip install -q python-calamine 2>&1 | grep -v "WARNING: Running pip" >&2 || true
BIN=$PWD/.build/release/dropdial
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t paths < <(python3 bench/generate.py "$rows" --xlsx)
cp "${paths[0]}" "$work/c.csv"; cp "${paths[1]}" "$work/c.xlsx"

now() { date +%s.%N; }
t0=$(now); sqlite3 "$work/anchor.sqlite" -cmd ".mode csv" ".import $work/c.csv contacts"; t1=$(now)
(cd "$work" && "$BIN" import c.csv >/dev/null); t2=$(now)
python3 -c "
import sys
from python_calamine import CalamineWorkbook
print(len(CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()))" "$work/c.xlsx" >/dev/null; t3=$(now)
(cd "$work" && "$BIN" import c.xlsx >/dev/null); t4=$(now)

awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" -v t4="$t4" -v cb="$csv_bound" -v xb="$xlsx_bound" -v n="$rows" 'BEGIN {
  sq = t1 - t0; csv = t2 - t1; cal = t3 - t2; xl = t4 - t3
  rc = csv / sq; rx = xl / cal
  printf "ci_check (%d rows): csv %.2fs / sqlite3 %.2fs = %.2fx (bound %.1fx); xlsx %.2fs / calamine %.2fs = %.2fx (bound %.1fx)\n", n, csv, sq, rc, cb, xl, cal, rx, xb
  if (rc > cb || rx > xb) { print "ci_check: FAIL (import is more than 3x over its target)"; exit 1 }
  print "ci_check: ok"
}'
