#!/usr/bin/env bash
# One-command import benchmark: generates (cached) ROWS-row CSV and XLSX files (two XLSX kinds:
# inline strings, shared strings), then runs, side by side in one run, `dropdial import` on each,
# `sqlite3 .import` on the same CSV, and python-calamine reading each XLSX. Prints wall time, CPU
# seconds (user + system) and peak RSS (/usr/bin/time -v) and the ratios, then a summary: the
# issue-19 targets (CSV <= 1.5x sqlite3, each XLSX kind <= 0.6x calamine, peak RSS <= 150 MB) for
# the largest size, and the peak RSS of the smallest size against the largest (flat memory).
# usage: bench/run.sh [ROWS ...]   (default: 100000 1000000)
#        BENCH_SKIP_BUILD=1 reuses .build/release/dropdial as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  scripts/setup
  python3 -c 'import python_calamine' 2>/dev/null || python3 -m pip install -q python-calamine 2>&1 | grep -v "WARNING: Running pip" >&2 || true
  swift build -c release --product dropdial >&2
fi
BIN=$PWD/.build/release/dropdial
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

. bench/measure.sh

declare -A T M C
calamine() {
  measure calamine python3 -c "
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = wb.get_sheet_by_index(0).to_python()
print(len(rows))" "$1"
}
row() { printf '%-40s %9s %9s %12s  %s\n' "$@"; }
row "run" "wall s" "cpu s" "peak RSS MB" "ratio (wall)"
for n in "${sizes[@]}"; do
  mapfile -t paths < <(python3 bench/generate.py "$n" --xlsx)
  csv=${paths[0]}; xlsx=${paths[1]}; shared=${paths[2]}
  rm -f "$work"/*.sqlite*
  read -r _ t_sql m_sql c_sql < <(measure sqlite "sqlite3" "$work/anchor.sqlite" -cmd ".mode csv" ".import $csv contacts")
  cp "$csv" "$work/c.csv"; cp "$xlsx" "$work/c.xlsx"; cp "$shared" "$work/s.xlsx"
  read -r _ t_csv m_csv c_csv < <(cd "$work" && measure csv "$BIN" import c.csv)
  read -r _ t_xlsx m_xlsx c_xlsx < <(cd "$work" && measure xlsx "$BIN" import c.xlsx)
  read -r _ t_shared m_shared c_shared < <(cd "$work" && measure shared "$BIN" import s.xlsx)
  read -r _ t_cal m_cal c_cal < <(calamine "$xlsx")
  read -r _ t_cals m_cals c_cals < <(calamine "$shared")
  T[sql$n]=$t_sql; T[csv$n]=$t_csv; T[xlsx$n]=$t_xlsx; T[cal$n]=$t_cal; T[shared$n]=$t_shared; T[cals$n]=$t_cals
  M[csv$n]=$m_csv; M[xlsx$n]=$m_xlsx; M[shared$n]=$m_shared
  row "sqlite3 .import csv ($n)" "$t_sql" "$c_sql" "$m_sql" "1.00x"
  row "dropdial import csv ($n)" "$t_csv" "$c_csv" "$m_csv" "$(ratio "$t_csv" "$t_sql") of sqlite3"
  row "python-calamine read inline xlsx ($n)" "$t_cal" "$c_cal" "$m_cal" "1.00x"
  row "dropdial import inline xlsx ($n)" "$t_xlsx" "$c_xlsx" "$m_xlsx" "$(ratio "$t_xlsx" "$t_cal") of calamine"
  row "python-calamine read shared xlsx ($n)" "$t_cals" "$c_cals" "$m_cals" "1.00x"
  row "dropdial import shared xlsx ($n)" "$t_shared" "$c_shared" "$m_shared" "$(ratio "$t_shared" "$t_cals") of calamine"
done

first=${sizes[0]}; last=${sizes[${#sizes[@]}-1]}
r_csv=$(ratio "${T[csv$last]}" "${T[sql$last]}"); r_xlsx=$(ratio "${T[xlsx$last]}" "${T[cal$last]}")
r_shared=$(ratio "${T[shared$last]}" "${T[cals$last]}")
echo
echo "== ratios at $last rows (issue 19 targets; issue 6's were 3.0x and 1.0x) =="
printf '%-52s %8s  target <= 1.50x  %s\n' "CSV:  dropdial import / sqlite3 .import" "$r_csv" "$(verdict "${r_csv%x}" 1.5)"
printf '%-52s %8s  target <= 0.60x  %s\n' "XLSX inline strings: dropdial / python-calamine" "$r_xlsx" "$(verdict "${r_xlsx%x}" 0.6)"
printf '%-52s %8s  target <= 0.60x  %s\n' "XLSX shared strings: dropdial / python-calamine" "$r_shared" "$(verdict "${r_shared%x}" 0.6)"
echo
echo "== peak RSS, $first vs $last rows (target <= 150 MB, no growth) =="
for k in csv xlsx shared; do
  printf '%-52s %8s MB -> %8s MB  (%s)  %s\n' "dropdial import $k" "${M[$k$first]}" "${M[$k$last]}" \
    "$(awk -v a="${M[$k$first]}" -v b="${M[$k$last]}" 'BEGIN { printf "%+.1f MB", b - a }')" \
    "$(verdict "${M[$k$last]}" 150)"
done
