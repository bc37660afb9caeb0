#!/usr/bin/env bash
# Proves scripts/make_phone_metadata.py converts the `phonenumbers` metadata the way
# libphonenumber's own build tool does: run on phonenumbers 8.12.57 (the release of Debian 12's
# libphonenumber), its text must equal the library's compiled-in metadata dumped in that form.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD_VERSION=$(dpkg-query -W -f='${Version}' libphonenumber-dev 2>/dev/null | sed 's/[-+~].*//')
OLD_VERSION=${OLD_VERSION:-8.12.57}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 -m pip install -q --disable-pip-version-check --target "$work/py" "phonenumbers==$OLD_VERSION" 2>&1 \
  | grep -v "WARNING: Running pip as" >&2 || true
g++ -O1 -std=c++17 -I Sources/CPhoneNumber scripts/phone/dump_compiled_metadata.cpp Sources/CPhoneNumber/metadata_text.cpp \
  -o "$work/dump" -lphonenumber -lprotobuf
"$work/dump" > "$work/compiled.txt"
PYTHONPATH="$work/py" python3 scripts/make_phone_metadata.py --text --out "$work/generated.txt"
if ! diff -q "$work/compiled.txt" "$work/generated.txt" >/dev/null; then
  diff "$work/compiled.txt" "$work/generated.txt" | head -20 >&2
  echo "check_phone_metadata: the generator's text for phonenumbers $OLD_VERSION differs from libphonenumber $OLD_VERSION's compiled-in metadata" >&2
  exit 1
fi
echo "check_phone_metadata: phonenumbers $OLD_VERSION converts to libphonenumber's compiled-in metadata exactly ($(grep -c '^region' "$work/compiled.txt") regions, $(wc -l < "$work/compiled.txt") lines)"
