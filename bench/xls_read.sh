#!/usr/bin/env bash
# Time and peak RSS of reading a 65,536-row .xls: dropdial (release build, `inspect --json`)
# vs python-calamine vs xlrd, one after another in one run, each reading every cell to text.
#
#   bench/xls_read.sh [RUNS]        # default 3 runs each; the best time and its RSS are printed
#
# DROPDIAL=path uses that binary instead of building .build-release/release/dropdial. Needs xlwt, xlrd
# and python-calamine (scripts/setup) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
WORK=${BENCH_DIR:-/tmp/dropdial-bench-xls}
mkdir -p "$WORK"
FILE=$WORK/rows65536.xls
[ -f "$FILE" ] || python3 bench/make_xls_rows.py "$FILE"
if [ -z "${DROPDIAL:-}" ]; then
  # Its own scratch folder, so the release build does not wait on (or for) a debug build.
  nice -n 10 swift build -c release --product dropdial --scratch-path .build-release >&2
  DROPDIAL=.build-release/release/dropdial
fi
cat > "$WORK/read_calamine.py" <<'PY'
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
print(sum(len(r) for r in rows), file=sys.stderr)
PY
cat > "$WORK/read_xlrd.py" <<'PY'
import sys, xlrd
sheet = xlrd.open_workbook(sys.argv[1], on_demand=True).sheet_by_index(0)
print(sum(len(sheet.row_values(r)) for r in range(sheet.nrows)), file=sys.stderr)
PY
measure() {  # name, command...: best wall time of RUNS and that run's peak RSS
  local name=$1 best="" rss=""; shift
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt"
    local t r
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, a, ":"); print a[1] * 60 + a[2]}' "$WORK/time.txt")
    r=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$WORK/time.txt")
    if [ -z "$best" ] || awk "BEGIN {exit !($t < $best)}"; then best=$t; rss=$r; fi
  done
  printf "%-16s %8.2f s %8d MB\n" "$name" "$best" "$rss"
}
echo "reading $(basename "$FILE") ($(stat -c %s "$FILE") bytes, 65,536 rows x 6 columns), best of $RUNS"
printf "%-16s %10s %11s\n" reader time "peak RSS"
measure "dropdial" "$DROPDIAL" inspect --json "$FILE"
measure "python-calamine" python3 "$WORK/read_calamine.py" "$FILE"
measure "xlrd" python3 "$WORK/read_xlrd.py" "$FILE"
