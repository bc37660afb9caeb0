#!/usr/bin/env bash
# Figures for issue 16 (providers, rate limits, compliance), in one run:
#  1. the calls per second the Twilio stand-in saw against each configured rate limit;
#  2. 10,000 calls through the Twilio stand-in, 20% of webhooks dropped and 10% duplicated:
#     how many ended final, how many were placed twice, webhook -> recorded p50/p99;
#  3. the compliance check's extra cost per due-call pass with 1M pending calls, against the
#     due-call selection itself (the anchor): (a) the decisions, timed in the release binary as
#     `simulate` over the 1M calls with no rules, the shipped rule files, and those plus a limit
#     on every US number (best of 3 each; per call, then x512 for a pass); (b) the limits'
#     attempt-history read, one indexed statement per pass, timed like the due-call selection by
#     Python's sqlite3 (the same SQLite library); (c) whole dispatcher passes in the debug test
#     build (ComplianceCostBenchmark), as ratios.
# usage: bench/providers.sh [CALLS]   (BENCH_SKIP_BUILD=1 reuses the builds)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-10000}
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  scripts/setup
  swift build -c release --product dropdial >&2
  swift build --build-tests >&2
fi
BIN=$PWD/.build/release/dropdial
python3 bench/providers.py "$BIN" --calls "$calls"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv=$(python3 bench/generate.py 1000000 | head -1)
cp "$csv" "$work/contacts.csv"
(cd "$work" && "$BIN" import contacts.csv >/dev/null || true)
cat contrib/compliance/us-states.toml contrib/compliance/canada.toml contrib/compliance/france.toml > "$work/rules.toml"
printf '\n[[compliance]]\nname = "US-limit-all"\ncountries = ["US"]\nlimits = [{ attempts = 3, hours = 24 }]\n' > "$work/limit.toml"
# Every call is due at the start (a Tuesday 13:00 in New York): one decision each.
start=$(python3 -c 'import datetime as d; t=d.date.today()+d.timedelta(days=1)
while t.weekday()!=1: t+=d.timedelta(days=1)
print(f"{t}T18:00:00Z")')
until=${start%:00Z}:01Z
for cfg in none rules limit; do
  case $cfg in none) : > "$work/dropdial.toml";; rules) cp "$work/rules.toml" "$work/dropdial.toml";;
    limit) cat "$work/rules.toml" "$work/limit.toml" > "$work/dropdial.toml";; esac
  best=""
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    n=$(cd "$work" && "$BIN" simulate --json --outcome completed --start "$start" --until "$until" | wc -l)
    t=$(echo "$(date +%s.%N) - $t0" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$cfg $n $best"
done | awk '{ t[$1] = $3; n = $2 } END {
  for (c in t) printf "compliance cost (simulate, release): %-5s %d calls, best of 3 %.2f s = %.2f us/call, extra %.2f us/call = %.2f ms per pass of 512\n",
    c, n, t[c], t[c] * 1e6 / n, (t[c] - t["none"]) * 1e6 / n, (t[c] - t["none"]) * 512e3 / n }' | sort
python3 - "$work/dropdial.sqlite" <<'PY'
import sqlite3, statistics, sys, time
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
due = """SELECT id, batchId, phoneNumber, zones, variables, attempts, cycleBase, nextAttemptAt FROM call
         WHERE status = 'pending' AND nextAttemptAt <= ? ORDER BY nextAttemptAt LIMIT 512"""
rows = db.execute(due, (9_999_999_999,)).fetchall()
numbers = [r[2] for r in rows]
def timed(f, runs=50):
    f(); out = []
    for _ in range(runs):
        t = time.perf_counter(); f(); out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000
sel = timed(lambda: db.execute(due, (9_999_999_999,)).fetchall())
import json
batch = """SELECT phoneNumber, startedAt FROM attempt WHERE phoneNumber IN (SELECT value FROM json_each(?))
           AND startedAt >= ? ORDER BY phoneNumber, startedAt DESC"""
bplan = db.execute("EXPLAIN QUERY PLAN " + batch, ("[]", "2026")).fetchall()
look = timed(lambda: db.execute(batch, (json.dumps(numbers), "2026-01-01 00:00:00.000")).fetchall())
print(f"compliance cost (SQL): due-call selection of 512: median {sel:.2f} ms; the limits' attempt history of "
      f"those 512 numbers, one statement as the dispatcher reads it: median {look:.2f} ms = {look / sel:.2f}x the "
      f"selection  [{'; '.join(r[-1] for r in bplan)}]")
PY
DROPDIAL_BENCH_DB="$work/dropdial.sqlite" swift test --skip-build --filter ComplianceCostBenchmark 2>&1 \
  | grep "compliance cost:" | sed 's/^compliance cost:/compliance cost (debug passes):/' 
