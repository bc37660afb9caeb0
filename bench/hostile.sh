#!/usr/bin/env bash
# The hostile-input table (issue 7): every case of scripts/make_hostile.py through the real
# binary (`dropdial import FILE --json`, a fresh database each) under /usr/bin/time -v.
#
#   bench/hostile.sh [BINARY]      # default .build/debug/dropdial (HOSTILE_BIN overrides too)
#
# Prints a Markdown table: case | status | errorCode | expected | wall s | peak RSS MB | verdict.
# A case passes when the status and code are the expected ones, it took under 10 s and peaked
# under 256 MB. Exits 1 if any case failed. HOSTILE_DIR keeps the generated files (default: a
# temp folder, removed at the end); HOSTILE_ONLY=case,case runs a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-${HOSTILE_BIN:-.build/debug/dropdial}}")
[ -x "$bin" ] || { echo "hostile.sh: no binary at $bin (build first)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "hostile.sh: /usr/bin/time missing (scripts/setup installs it)" >&2; exit 2; }
dir=${HOSTILE_DIR:-$(mktemp -d /tmp/dropdial-hostile.XXXXXX)}
[ -n "${HOSTILE_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/corpus"
python3 scripts/make_hostile.py "$dir/corpus" ${HOSTILE_ONLY:+--only "$HOSTILE_ONLY"}

echo "| case | status | errorCode | expected | wall s | peak RSS MB | verdict |"
echo "|---|---|---|---|---|---|---|"
fails=0
while IFS=$'\t' read -r file status codes; do
  run="$dir/run-${file%.*}"
  rm -rf "$run"; mkdir -p "$run"
  cp --reflink=auto "$dir/corpus/$file" "$run/$file"
  set +e
  ( cd "$run" && /usr/bin/time -v -o time.txt timeout 60 "$bin" import "$file" --json >out.json 2>err.txt )
  set -e
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$run/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$run/time.txt")
  got=$(python3 -c 'import json,sys
try:
    r=json.load(open(sys.argv[1])); print(r.get("status","?"), r.get("errorCode") or "-")
except Exception as e: print("no-report", "-")' "$run/out.json")
  got_status=${got% *}; got_code=${got#* }
  verdict=ok
  case "|$codes|" in *"|$got_code|"*) ;; *) verdict=FAIL ;; esac
  [ "$got_status" = "$status" ] || verdict=FAIL
  awk -v w="$wall" 'BEGIN { exit !(w < 10) }' || verdict=FAIL
  [ "${rss:-9999}" -lt 256 ] || verdict=FAIL
  [ "$verdict" = ok ] || fails=$((fails + 1))
  echo "| ${file} | $got_status | $got_code | $status $codes | $wall | $rss | $verdict |"
  [ -n "${HOSTILE_DIR:-}" ] || rm -rf "$run"
done < <(python3 scripts/make_hostile.py --list ${HOSTILE_ONLY:+--only "$HOSTILE_ONLY"})
echo
echo "$fails case(s) failed; binary $bin; $(date -u +%FT%TZ)"
[ "$fails" -eq 0 ]
