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

# run_case FILE STATUS CODES [RUNNER...]: `dropdial import FILE --json` in $dir/run-FILE, which
# must already hold FILE; RUNNER (e.g. setpriv as nobody) wraps the binary.
run_case() {
  local file=$1 status=$2 codes=$3; shift 3
  local run="$dir/run-${file%.*}"
  set +e
  ( cd "$run" && /usr/bin/time -v -o time.txt timeout 60 "$@" "$bin" import "$file" --json >out.json 2>err.txt )
  set -e
  local wall rss got got_status got_code verdict=ok
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$run/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$run/time.txt")
  got=$(python3 -c 'import json,sys
try:
    r=json.load(open(sys.argv[1])); print(r.get("status","?"), r.get("errorCode") or "-")
except Exception as e: print("no-report", "-")' "$run/out.json")
  got_status=${got% *}; got_code=${got#* }
  case "|$codes|" in *"|$got_code|"*) ;; *) verdict=FAIL ;; esac
  [ "$got_status" = "$status" ] || verdict=FAIL
  awk -v w="$wall" 'BEGIN { exit !(w < 10) }' || verdict=FAIL
  [ "${rss:-9999}" -lt 256 ] || verdict=FAIL
  [ "$verdict" = ok ] || fails=$((fails + 1))
  echo "| ${file} | $got_status | $got_code | $status $codes | $wall | $rss | $verdict |"
  [ -n "${HOSTILE_DIR:-}" ] || rm -rf "$run"
}

fresh() { rm -rf "$dir/run-${1%.*}"; mkdir -p "$dir/run-${1%.*}"; echo "$dir/run-${1%.*}"; }

while IFS=$'\t' read -r file status codes; do
  run=$(fresh "$file")
  cp --reflink=auto "$dir/corpus/$file" "$run/$file"
  run_case "$file" "$status" "$codes"
done < <(python3 scripts/make_hostile.py --list ${HOSTILE_ONLY:+--only "$HOSTILE_ONLY"})

if [ -z "${HOSTILE_ONLY:-}" ]; then
  # Filesystem cases: never opened for reading (a FIFO would block the open).
  run=$(fresh fs_fifo.csv); mkfifo "$run/fs_fifo.csv"
  run_case fs_fifo.csv rejected unreadable
  run=$(fresh fs_folder.csv); mkdir "$run/fs_folder.csv"
  run_case fs_folder.csv rejected unreadable
  run=$(fresh fs_symlink_to_fifo.csv); mkfifo "$run/target.fifo"; ln -s "$run/target.fifo" "$run/fs_symlink_to_fifo.csv"
  run_case fs_symlink_to_fifo.csv rejected unreadable
  run=$(fresh fs_no_read_permission.csv); printf 'phone\n4155552671\n' >"$run/fs_no_read_permission.csv"
  chmod 000 "$run/fs_no_read_permission.csv"
  if [ "$(id -u)" -eq 0 ]; then
    # Mode bits do not stop root: run this one as nobody.
    chmod 755 "$dir"; chmod 777 "$run"   # mktemp -d makes $dir 0700: let nobody in
    run_case fs_no_read_permission.csv rejected unreadable setpriv --reuid=65534 --regid=65534 --clear-groups
  else
    run_case fs_no_read_permission.csv rejected unreadable
  fi
fi
echo
echo "Inbox-only cases (a symlink, FIFO or folder left in place and logged, never read; a file deleted"
echo "while it settles): swift test --filter HostileInputTests. $fails case(s) failed; binary $bin; $(date -u +%FT%TZ)"
[ "$fails" -eq 0 ]
