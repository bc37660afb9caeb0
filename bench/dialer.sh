#!/usr/bin/env bash
# Dialer figures for issue 4, in one run:
#  1. `dropdial simulate` throughput (attempts/s) on 100k contacts with 4 attempts each
#     (every attempt `busy`, 3 retries), release build;
#  2. the due-call selection the dispatcher runs, timed by sqlite3 on databases with 100k and 1M
#     pending calls: the cost must follow the number due, not the number pending.
# usage: bench/dialer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup
swift build -c release --product dropdial >&2
BIN=$PWD/.build/release/dropdial
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for n in 100000 1000000; do
  csv=$(python3 bench/generate.py "$n" | head -1)
  mkdir -p "$work/$n" && cp "$csv" "$work/$n/contacts.csv"
  (cd "$work/$n" && "$BIN" import contacts.csv >/dev/null || true)
done

cd "$work/100000"
start=$(date +%s.%N)
attempts=$("$BIN" simulate --start 2026-11-23T00:00:00Z --outcome busy --json | wc -l)
end=$(date +%s.%N)
awk -v a="$attempts" -v s="$start" -v e="$end" 'BEGIN {
  t = e - s; printf "simulate: %d attempts in %.2f s = %.0f attempts/s\n", a, t, a / t }'

# The dispatcher's query (Store.dueCalls), with every pending call already due, a batch of 512.
for n in 100000 1000000; do
  db="$work/$n/dropdial.sqlite"
  pending=$(sqlite3 "$db" "SELECT COUNT(*) FROM call WHERE status = 'pending'")
  best=$(for i in 1 2 3 4 5; do
    sqlite3 "$db" <<SQL | awk '/^Run Time/ { print $4 * 1000 }'
.timer on
SELECT id, batchId, phoneNumber, zones, variables, attempts, nextAttemptAt FROM call
WHERE status = 'pending' AND nextAttemptAt <= 9999999999 ORDER BY nextAttemptAt LIMIT 512;
SQL
  done | sort -n | head -1)
  plan=$(sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT id FROM call WHERE status = 'pending' AND nextAttemptAt <= 9999999999 ORDER BY nextAttemptAt LIMIT 512" | tail -1)
  echo "due selection (512 due) with $pending pending: best of 5 = ${best} ms [$plan]"
done
