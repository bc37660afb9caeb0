#!/usr/bin/env bash
# Dialer figures for issue 4, in one run:
#  1. `dropdial simulate` throughput (attempts/s) on 100k contacts with 4 attempts each
#     (every attempt `busy`, 3 retries), release build;
#  2. the due-call selection the dispatcher runs, timed in-process on databases with 100k and 1M
#     pending calls: the cost must follow the number due, not the number pending (goal < 5 ms).
# usage: bench/dialer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup
swift build -c release --product dropdial >&2
BIN=$PWD/.build/release/dropdial
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Exactly 100k valid contacts for the simulate figure; the benchmark files (1% invalid) for the
# due-selection databases.
mkdir -p "$work/sim"
python3 -c '
print("phone_number,name")
for i in range(100_000): print(f"+1415{2_000_000 + i:07d},Name {i}")' > "$work/sim/contacts.csv"
(cd "$work/sim" && "$BIN" import contacts.csv >/dev/null)
for n in 100000 1000000; do
  csv=$(python3 bench/generate.py "$n" | head -1)
  mkdir -p "$work/$n" && cp "$csv" "$work/$n/contacts.csv"
  (cd "$work/$n" && "$BIN" import contacts.csv >/dev/null || true)
done

cd "$work/sim"
start=$(date +%s.%N)
attempts=$("$BIN" simulate --start 2026-11-23T00:00:00Z --outcome busy --json | wc -l)
end=$(date +%s.%N)
awk -v a="$attempts" -v s="$start" -v e="$end" 'BEGIN {
  t = e - s; printf "simulate: 100000 contacts, %d attempts in %.2f s = %.0f attempts/s (goal >= 100000)\n", a, t, a / t }'
cd - >/dev/null

# The dispatcher's query (Store.dueCalls), timed in-process by Python's sqlite3 (the same SQLite
# library), 200 runs each: 512 due calls, and none due, with 100k and 1M calls pending. The cost
# must follow the number due, not the number pending.
for n in 100000 1000000; do
  python3 - "$work/$n/dropdial.sqlite" <<'PY'
import sqlite3, statistics, sys, time
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
q = """SELECT id, batchId, phoneNumber, zones, variables, attempts, cycleBase, nextAttemptAt FROM call
       WHERE status = 'pending' AND nextAttemptAt <= ? ORDER BY nextAttemptAt LIMIT 512"""
pending = db.execute("SELECT COUNT(*) FROM call WHERE status = 'pending'").fetchone()[0]
plan = db.execute("EXPLAIN QUERY PLAN " + q, (0,)).fetchall()[-1][-1]
for label, now in (("512 due", 9_999_999_999), ("none due", 0)):
    db.execute(q, (now,)).fetchall()  # warm the page cache, as the running dialer's is
    runs = []
    for _ in range(200):
        t = time.perf_counter(); rows = db.execute(q, (now,)).fetchall(); runs.append(time.perf_counter() - t)
    print(f"due selection, {label:8} ({len(rows)} rows) with {pending:>7} pending: "
          f"median {statistics.median(runs) * 1000:.3f} ms, best {min(runs) * 1000:.3f} ms  [{plan}]")
PY
done
