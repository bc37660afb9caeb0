#!/usr/bin/env bash
# One-command import benchmark: generates (cached) ROWS-row CSV and XLSX files, then runs, side by
# side in one run, `dropdial import` on each, `sqlite3 .import` on the same CSV, and python-calamine
# reading the XLSX. Prints wall time, peak RSS (/usr/bin/time -v) and the ratios.
# usage: bench/run.sh [ROWS ...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup
python3 -c 'import python_calamine' 2>/dev/null || python3 -m pip install -q python-calamine 2>&1 | grep -v "WARNING: Running pip" >&2 || true
swift build -c release --product dropdial >&2
BIN=$PWD/.build/release/dropdial
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

# measure NAME CMD...: runs CMD under /usr/bin/time -v; prints "NAME seconds peakMB".
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || { echo "$name failed:" >&2; tail -5 "$work/time" >&2; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time")
  echo "$name $wall $rss"
}

printf '%-34s %10s %12s %10s\n' "run" "wall s" "peak RSS MB" "ratio"
for n in "${sizes[@]}"; do
  mapfile -t paths < <(python3 bench/generate.py "$n" --xlsx)
  csv=${paths[0]}; xlsx=${paths[1]}
  rm -f "$work"/*.sqlite*
  read -r _ t_sql m_sql < <(measure sqlite "sqlite3" "$work/anchor.sqlite" -cmd ".mode csv" ".import $csv contacts")
  cp "$csv" "$work/c.csv"; cp "$xlsx" "$work/c.xlsx"
  read -r _ t_csv m_csv < <(cd "$work" && measure csv "$BIN" import c.csv)
  read -r _ t_xlsx m_xlsx < <(cd "$work" && measure xlsx "$BIN" import c.xlsx)
  read -r _ t_cal m_cal < <(measure calamine python3 -c "
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = wb.get_sheet_by_index(0).to_python()
print(len(rows))" "$xlsx")
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "-" }'; }
  printf '%-34s %10s %12s %10s\n' "sqlite3 .import csv ($n)" "$t_sql" "$m_sql" "1.00x"
  printf '%-34s %10s %12s %10s\n' "dropdial import csv ($n)" "$t_csv" "$m_csv" "$(ratio "$t_csv" "$t_sql") of sqlite3"
  printf '%-34s %10s %12s %10s\n' "python-calamine read xlsx ($n)" "$t_cal" "$m_cal" "1.00x"
  printf '%-34s %10s %12s %10s\n' "dropdial import xlsx ($n)" "$t_xlsx" "$m_xlsx" "$(ratio "$t_xlsx" "$t_cal") of calamine"
done
