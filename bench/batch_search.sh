#!/usr/bin/env bash
# Search on a big batch: imports a ROWS-row contact file (bench/generate.py, cached) into a fresh
# database with a release build, printing the import's wall time, then times
# `dropdial batch 1 --search TEXT --limit 10 --json` for each TEXT (best and median of 5 runs,
# and how many calls match). Goal: under 200 ms at 1,000,000 calls. The first search after a
# plain import builds the search index (timed on its own line); `dropdial run` builds it in the
# background instead.
# usage: bench/batch_search.sh [ROWS] [TEXT ...]   (default 1000000; texts: see below)
#        BENCH_SKIP_BUILD=1 reuses .build/release/dropdial; BENCH_BIN=PATH times another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
shift || true
texts=("$@")
# An account id (one call), a surname (one call in eight), a number as people write it.
[ ${#texts[@]} -gt 0 ] || texts=("ACC-0123456" "hopper" "(212) 205")
if [ -z "${BENCH_SKIP_BUILD:-}" ] && [ -z "${BENCH_BIN:-}" ]; then
  swift build -c release --product dropdial >&2
fi
BIN=${BENCH_BIN:-$PWD/.build/release/dropdial}
csv=$(python3 bench/generate.py "$rows")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$csv" "$work/contacts.csv"
cd "$work"
python3 - "$BIN" "$rows" "${texts[@]}" <<'PY'
import json, statistics, subprocess, sys, time
bin, rows, texts = sys.argv[1], sys.argv[2], sys.argv[3:]
t = time.monotonic()
subprocess.run([bin, "import", "contacts.csv"], check=True, stdout=subprocess.DEVNULL)
print(f"import of {rows} rows: {time.monotonic() - t:.2f} s")
# The first search indexes the new calls (what `dropdial run` does in the background).
t = time.monotonic()
subprocess.run([bin, "batch", "1", "--search", "first", "--limit", "1"], check=True, stdout=subprocess.DEVNULL)
print(f"first search after the import (indexes every call): {time.monotonic() - t:.2f} s")
for text in texts:
    cmd = [bin, "batch", "1", "--search", text, "--limit", "10", "--json"]
    runs, total = [], None
    for _ in range(5):
        t = time.monotonic()
        out = subprocess.run(cmd, check=True, capture_output=True).stdout
        runs.append((time.monotonic() - t) * 1000)
        total = json.loads(out)["total"]
    print(f"dropdial batch 1 --search {text!r} --limit 10 --json: best {min(runs):.0f} ms, "
          f"median {statistics.median(runs):.0f} ms, {total} matching calls")
PY
