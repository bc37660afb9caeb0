#!/usr/bin/env bash
# The dashboard's figures (issue 17) in one run: report page of 100,000 rejected rows, batch page
# of a 1M-call batch (beside /healthz), the results export's time and memory.
# usage: bench/dashboard.sh [ROWS]   (default 1000000); BENCH_SKIP_BUILD=1 reuses the build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  scripts/setup
  swift build -c release --product dropdial >&2
fi
exec python3 bench/dashboard.py .build/release/dropdial "$@"
