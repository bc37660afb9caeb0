#!/usr/bin/env bash
# Two dropdial builds side by side in one run: imports the same generated ROWS-row CSV and XLSX
# with each binary, alternating, RUNS times (default 3), and prints each one's best wall time and
# peak RSS, the new/old ratio, and sqlite3 .import of the CSV as the anchor.
# usage: bench/compare.sh OLD_BINARY NEW_BINARY [ROWS]   (default 1000000; RUNS=N to change runs)
# e.g. cp .build/release/dropdial /tmp/before; (change, swift build -c release); bench/compare.sh /tmp/before .build/release/dropdial
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(readlink -f "$1"); new=$(readlink -f "$2"); rows=${3:-1000000}; runs=${RUNS:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mapfile -t paths < <(python3 bench/generate.py "$rows" --xlsx)
cp "${paths[0]}" "$work/c.csv"; cp "${paths[1]}" "$work/c.xlsx"
# once NAME CMD...: wall seconds and peak RSS MB of one run, in a fresh database.
once() {
  rm -rf "$work/db"; mkdir "$work/db"; cp "$work/c.csv" "$work/c.xlsx" "$work/db/"
  (cd "$work/db" && /usr/bin/time -v "$@" >/dev/null 2>"$work/time") || { tail -5 "$work/time" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
              /Maximum resident set size/ {r=$2/1024} END {printf "%s %.1f\n", w, r}' "$work/time"
}
declare -A best rss
keep() { # keep KEY WALL RSS
  if [ -z "${best[$1]:-}" ] || awk -v a="$2" -v b="${best[$1]}" 'BEGIN{exit !(a<b)}'; then best[$1]=$2; fi
  if [ -z "${rss[$1]:-}" ] || awk -v a="$3" -v b="${rss[$1]}" 'BEGIN{exit !(a>b)}'; then rss[$1]=$3; fi
}
for i in $(seq "$runs"); do
  read -r w m < <(once sqlite3 anchor.sqlite -cmd ".mode csv" ".import c.csv contacts"); keep sqlite "$w" "$m"
  for kind in csv xlsx; do
    read -r w m < <(once "$old" import "c.$kind"); keep "old-$kind" "$w" "$m"
    read -r w m < <(once "$new" import "c.$kind"); keep "new-$kind" "$w" "$m"
  done
done
printf '%-28s %10s %12s %14s\n' "best of $runs, $rows rows" "wall s" "peak RSS MB" "vs sqlite3"
for k in sqlite old-csv new-csv old-xlsx new-xlsx; do
  printf '%-28s %10s %12s %14s\n' "$k" "${best[$k]}" "${rss[$k]}" "$(awk -v a="${best[$k]}" -v b="${best[sqlite]}" 'BEGIN{printf "%.2fx", a/b}')"
done
for kind in csv xlsx; do
  printf 'new/old %-4s %s\n' "$kind" "$(awk -v a="${best[new-$kind]}" -v b="${best[old-$kind]}" 'BEGIN{printf "%.3fx", a/b}')"
done
