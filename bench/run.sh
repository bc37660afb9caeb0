#!/usr/bin/env bash
# One-command import benchmark: generates (cached) ROWS-row CSV and XLSX files, then runs, side by
# side in one run, `dropdial import` on each, `sqlite3 .import` on the same CSV, and python-calamine
# reading the XLSX. Prints wall time, peak RSS (/usr/bin/time -v) and the ratios, then a summary:
# the issue-6 targets (CSV <= 3.0x sqlite3, XLSX <= 1.0x calamine, peak RSS <= 150 MB) for the
# largest size, and the peak RSS of the smallest size against the largest (flat memory).
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

# measure NAME CMD...: runs CMD under /usr/bin/time -v; prints "NAME seconds peakMB".
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || { echo "$name failed:" >&2; tail -5 "$work/time" >&2; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time")
  echo "$name $wall $rss"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "-" }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { printf (v + 0 <= t + 0 ? "PASS" : "MISS") }'; }

declare -A T M
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
  T[sql$n]=$t_sql; T[csv$n]=$t_csv; T[xlsx$n]=$t_xlsx; T[cal$n]=$t_cal
  M[csv$n]=$m_csv; M[xlsx$n]=$m_xlsx
  printf '%-34s %10s %12s %10s\n' "sqlite3 .import csv ($n)" "$t_sql" "$m_sql" "1.00x"
  printf '%-34s %10s %12s %10s\n' "dropdial import csv ($n)" "$t_csv" "$m_csv" "$(ratio "$t_csv" "$t_sql") of sqlite3"
  printf '%-34s %10s %12s %10s\n' "python-calamine read xlsx ($n)" "$t_cal" "$m_cal" "1.00x"
  printf '%-34s %10s %12s %10s\n' "dropdial import xlsx ($n)" "$t_xlsx" "$m_xlsx" "$(ratio "$t_xlsx" "$t_cal") of calamine"
done

first=${sizes[0]}; last=${sizes[${#sizes[@]}-1]}
r_csv=$(ratio "${T[csv$last]}" "${T[sql$last]}"); r_xlsx=$(ratio "${T[xlsx$last]}" "${T[cal$last]}")
echo
echo "== ratios at $last rows (issue 6 targets) =="
printf '%-44s %8s  target <= 3.00x  %s\n' "CSV:  dropdial import / sqlite3 .import" "$r_csv" "$(verdict "${r_csv%x}" 3.0)"
printf '%-44s %8s  target <= 1.00x  %s\n' "XLSX: dropdial import / python-calamine read" "$r_xlsx" "$(verdict "${r_xlsx%x}" 1.0)"
echo
echo "== peak RSS, $first vs $last rows (target <= 150 MB, no growth) =="
for k in csv xlsx; do
  printf '%-44s %8s MB -> %8s MB  (%s)  %s\n' "dropdial import $k" "${M[$k$first]}" "${M[$k$last]}" \
    "$(awk -v a="${M[$k$first]}" -v b="${M[$k$last]}" 'BEGIN { printf "%+.1f MB", b - a }')" \
    "$(verdict "${M[$k$last]}" 150)"
done
