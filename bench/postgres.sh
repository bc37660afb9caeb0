#!/usr/bin/env bash
# The PostgreSQL engine's import (issue 18), side by side in one run on the same ROWS-row CSV:
# `psql \copy` of the file into a plain table (the anchor), `dropdial import` into PostgreSQL, and
# `dropdial import` into SQLite. Wall time, client CPU seconds (user + system of the command
# itself; the server's work is in the wall time) and the client's peak RSS, and the ratios
# (goal: PostgreSQL import <= 2.0x \copy).
# usage: bench/postgres.sh [ROWS]   (default 1000000); BENCH_SKIP_BUILD=1 reuses the release build.
# Starts its own throwaway server (scripts/postgres, on a free port).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  scripts/setup
  swift build -c release --product dropdial >&2
fi
BIN=$PWD/.build/release/dropdial
work=$(mktemp -d)
pgdir=/tmp/dropdial-pg-bench.$$   # not inside $work: the server user must reach it
url=$(scripts/postgres start "$pgdir")
trap 'scripts/postgres stop "$pgdir"; rm -rf "$work"' EXIT
csv=$(python3 bench/generate.py "$rows" | head -1)
cp "$csv" "$work/c.csv"

. bench/measure.sh
row() { printf '%-44s %9s %9s %12s  %s\n' "$@"; }

# The anchor's table: the file's columns, all text, no index (what \copy can fill fastest).
header=$(head -1 "$work/c.csv" | tr -d '\r')
cols=$(echo "$header" | tr ',' '\n' | awk '{printf "%s\"c%d\" text", (NR>1?", ":""), NR}')
psql -q "$url" -c "CREATE TABLE anchor ($cols)"
mkdir -p "$work/inbox"
printf 'database = "%s"\n[[inbox]]\nname = "inbox"\npath = "%s/inbox"\n' \
  "$url?options=-csearch_path%3Dbench" "$work" > "$work/pg.toml"
printf 'database = "%s/bench.sqlite"\n[[inbox]]\nname = "inbox"\npath = "%s/inbox"\n' "$work" "$work" > "$work/sqlite.toml"
# Open (and migrate) both databases before timing.
"$BIN" batches --config "$work/pg.toml" >/dev/null
"$BIN" batches --config "$work/sqlite.toml" >/dev/null

row "run ($rows rows)" "wall s" "cpu s" "peak RSS MB" "ratio (wall)"
read -r _ t_copy m_copy c_copy < <(measure copy psql -q "$url" -c "\\copy anchor FROM '$work/c.csv' CSV HEADER")
read -r _ t_pg m_pg c_pg < <(measure pg "$BIN" import "$work/c.csv" --config "$work/pg.toml")
read -r _ t_sq m_sq c_sq < <(measure sqlite "$BIN" import "$work/c.csv" --config "$work/sqlite.toml")
row "psql \\copy csv (anchor)" "$t_copy" "$c_copy" "$m_copy" "1.00x"
row "dropdial import csv into PostgreSQL" "$t_pg" "$c_pg" "$m_pg" "$(ratio "$t_pg" "$t_copy") of \\copy"
row "dropdial import csv into SQLite" "$t_sq" "$c_sq" "$m_sq" "$(ratio "$t_sq" "$t_copy") of \\copy"
echo
imported_pg=$("$BIN" batches --json --config "$work/pg.toml" | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b[0]["counts"]["imported"] if b else 0)')
imported_sq=$("$BIN" batches --json --config "$work/sqlite.toml" | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b[0]["counts"]["imported"] if b else 0)')
echo "imported: PostgreSQL $imported_pg, SQLite $imported_sq ($( [ "$imported_pg" = "$imported_sq" ] && echo same || echo DIFFERENT))"
r=$(ratio "$t_pg" "$t_copy")
printf '%-52s %8s  goal <= 2.00x  %s\n' "PostgreSQL import / psql \\copy" "$r" "$(verdict "${r%x}" 2.0)"
