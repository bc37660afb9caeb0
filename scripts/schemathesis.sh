#!/usr/bin/env bash
# Holds the HTTP service to its own /openapi.json (issue 13): starts `dropdial run` in a scratch
# folder with an imported file, then runs schemathesis (PyPI) with the first admin key. It fails
# on any 5xx, an undocumented status code, a body that does not match its schema, or a wrong
# Content-Type.  usage: scripts/schemathesis.sh [BINARY] [MAX_EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-.build/debug/dropdial}")
examples=${2:-15}
python3 -c 'import schemathesis' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check schemathesis 2>&1 | grep -v "WARNING: Running pip" >&2 || true
work=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir "$work/inbox"
cat > "$work/dropdial.toml" <<'TOML'
[http]
listen = "127.0.0.1:0"
[[inbox]]
name = "inbox"
path = "inbox"
settle_seconds = 0.2
TOML
printf 'phone_number,name\n+14155550100,Ada\n+14155550101,Grace\n' > "$work/inbox/.a.csv.part"
mv "$work/inbox/.a.csv.part" "$work/inbox/a.csv"
(cd "$work" && exec "$BIN" run) > "$work/daemon.log" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "http listening" "$work/daemon.log" && [ -e "$work/inbox/processed/a.csv.report.json" ] && break; sleep 0.1; done
base="http://$(grep -o 'address=[^ ]*' "$work/daemon.log" | tail -1 | cut -d= -f2)"
key=$(grep -o 'dd_[A-Za-z0-9_-]\{43\}' "$work/daemon.log" | head -1)
echo "schemathesis against $base" >&2
st_status=0
python3 -m schemathesis.cli run "$base/openapi.json" --url "$base" -H "Authorization: Bearer $key" \
  -c not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  -n "$examples" --request-timeout 30 || st_status=$?
if ! kill -0 "$pid" 2>/dev/null; then echo "the daemon died during the run:" >&2; tail -20 "$work/daemon.log" >&2; exit 1; fi
exit $st_status
