#!/usr/bin/env bash
# Dialing throughput with 1, 2 and 3 nodes on one PostgreSQL database (issue 18): starts a
# throwaway server (scripts/postgres), then bench/nodes.py. usage: bench/nodes.sh [CALLS]
# (default 360); BENCH_SKIP_BUILD=1 reuses the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  scripts/setup
  swift build -c release --product dropdial >&2
fi
pgdir=/tmp/dropdial-pg-nodes.$$
url=$(scripts/postgres start "$pgdir")
trap 'scripts/postgres stop "$pgdir"' EXIT
python3 bench/nodes.py "$PWD/.build/release/dropdial" "$url" "$@"
