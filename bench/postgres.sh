#!/usr/bin/env bash
# The PostgreSQL engine's import (issue 18), side by side in one run on the same ROWS-row CSV:
# `psql \copy` of the file into a plain table (the anchor), `dropdial import` into PostgreSQL, and
# `dropdial import` into SQLite. Wall time, client CPU seconds (user + system of the command
# itself; the server's work is in the wall time) and the client's peak RSS, and the ratios
# (goal: PostgreSQL import <= 2.0x \copy). Then the dialer's due-call selection (the statement
# the dispatcher runs each pass: 512 due calls, earliest first) with every imported call pending
# at spread times, on both databases: pgbench for PostgreSQL, Python's sqlite3 for SQLite
# (goal on PostgreSQL < 5 ms).
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

# Due-call selection with every call pending, due times spread over a day.
sql="SELECT id, batchId, phoneNumber, zones, variables, attempts, cycleBase, nextAttemptAt FROM call WHERE status = 'pending' AND nextAttemptAt <= 1700043200 AND batchId <> ALL('{}'::bigint[]) ORDER BY nextAttemptAt LIMIT 512"
psql -q "$url?options=-csearch_path%3Dbench" -c "UPDATE call SET nextAttemptAt = 1700000000 + (id * 7919) % 86400" -c "VACUUM ANALYZE call"
echo "$sql;" > "$work/due.sql"
pg_ms=$(PGOPTIONS="-c search_path=bench" "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pgbench" -n -f "$work/due.sql" -t 400 "$url" 2>/dev/null \
  | awk '/latency average/ {print $4}')
sq_ms=$(python3 - "$work/bench.sqlite" "$sql" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE call SET nextAttemptAt = 1700000000 + (id * 7919) % 86400"); db.commit()
sql = sys.argv[2].replace("batchId <> ALL('{}'::bigint[])", "batchId NOT IN (SELECT value FROM json_each('[]'))")
times = []
for _ in range(400):
    t = time.perf_counter(); db.execute(sql).fetchall(); times.append(time.perf_counter() - t)
times.sort(); print(f"{sum(times) / len(times) * 1000:.3f}")
PY
)
pending=$(psql -At "$url?options=-csearch_path%3Dbench" -c "SELECT count(*) FROM call WHERE status = 'pending'")
echo
printf '%-52s %10s\n' "due-call selection, 512 of $pending pending" "mean ms"
printf '%-52s %10s  goal < 5 ms  %s\n' "  PostgreSQL (pgbench, 400 runs)" "$pg_ms" "$(verdict "$pg_ms" 5)"
printf '%-52s %10s\n' "  SQLite (Python sqlite3, 400 runs)" "$sq_ms"
