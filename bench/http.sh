#!/usr/bin/env bash
# The HTTP service's figures (issue 13) in one run: wrk on batch-details (idle and during an
# import), upload against drop of the same 1M-row CSV, peak RSS during a 500 MB upload.
# usage: bench/http.sh [ROWS] [BIG_MB]   (defaults 1000000 500); BENCH_SKIP_BUILD=1 reuses the build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  scripts/setup
  swift build -c release --product dropdial >&2
fi
exec python3 bench/http.py .build/release/dropdial "$@"
