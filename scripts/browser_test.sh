#!/usr/bin/env bash
# The dashboard in a real browser (SPEC §10): installs Debian's chromium and chromedriver and PyPI's
# selenium and axe-selenium-python when missing, then runs Tests/Browser/dashboard_test.py against
# `BINARY run` in a scratch folder. It signs in, visits every page at widths 1280 and 390, saves a
# full-page screenshot of each and runs axe-core on it (a serious or critical violation fails),
# uploads a file, pauses and resumes a batch, downloads its CSV export, edits the do-not-call list,
# and checks the sign-in cookie, inbox scoping and CSRF over plain HTTP. Screenshots, axe.json and
# the logs go to artifacts/screenshots/. Exit status: the test's (0 when every check passed).
# usage: scripts/browser_test.sh [BINARY]     (default .build/debug/dropdial)
#        scripts/browser_test.sh --smoke      (only the browser, screenshots, axe and downloads)
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
debs=(chromium chromium-driver fonts-liberation)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "browser_test: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# axe-selenium-python drives axe-core; axe-core-python only brings a newer axe.min.js (4.x) for it to
# inject than the 3.1.1 it ships.
python3 -c 'import selenium, axe_selenium_python, axe_core_python' 2>/dev/null \
  || python3 -m pip install -q --disable-pip-version-check selenium axe-selenium-python axe-core-python 2>&1 \
  | grep -v "WARNING: Running pip" >&2 || true
python3 -c 'import selenium, axe_selenium_python, axe_core_python' \
  || { echo "browser_test: selenium, axe-selenium-python or axe-core-python did not install" >&2; exit 3; }
# Selenium Manager must not look for a browser or driver online: both are Debian's.
export SE_OFFLINE=true
out=artifacts/screenshots
if [ "${1:-}" = "--smoke" ]; then
  exec python3 Tests/Browser/dashboard_test.py --smoke --out "$out"
fi
BIN=$(realpath "${1:-.build/debug/dropdial}")
[ -x "$BIN" ] || { echo "browser_test: $BIN is not an executable (build it first: swift build)" >&2; exit 2; }
status=0
python3 Tests/Browser/dashboard_test.py --bin "$BIN" --out "$out" || status=$?
exit $status
