#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (Fuzz/): csv, xlsx, xls, manifest.
#
#   scripts/fuzz.sh TARGET|all [SECONDS]      # default 60 s per target; all = one after another
#
# Each target is compiled straight with swiftc (-sanitize=fuzzer,address) from the module's
# sources plus its harness into .build-fuzz/, so the normal `swift build`/`swift test` never sees
# a sanitizer flag. The corpus grows in .build-fuzz/corpus/TARGET; seeds are rebuilt by
# scripts/make_fuzz_seeds.py. Crashes land in .build-fuzz/artifacts/TARGET/ and fail the run.
# Everything runs under `nice -n 19` (the machine is shared). FUZZ_FLAGS adds libFuzzer flags;
# FUZZ_OUT moves .build-fuzz (e.g. to time a clean build).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${FUZZ_OUT:-$ROOT/.build-fuzz}
SWIFTC=${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}
TARGETS=(csv xlsx xls manifest)

usage() { echo "usage: scripts/fuzz.sh csv|xlsx|xls|manifest|all [SECONDS]" >&2; exit 2; }
[ $# -ge 1 ] || usage
SECONDS_EACH=${2:-60}

FLAGS=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6)

# swiftc under nice; ld.gold's harmless "Cannot export local symbol __asan_..." lines dropped.
swiftc_quiet() {
  nice -n 19 "$SWIFTC" "${FLAGS[@]}" "$@" 2> >(grep -v "Cannot export local symbol" >&2)
}

# Rebuilds .build-fuzz/fuzz-TARGET when any of its sources is newer than the binary.
build() {
  local target=$1 bin=$OUT/fuzz-$1 sources=() base=()
  case $target in
    csv|xlsx|xls)
      mapfile -t sources < <(find Sources/DropdialReaders -name '*.swift' | sort)
      sources+=(Fuzz/FuzzFile.swift "Fuzz/Fuzz${target^^}.swift")
      mapfile -t base < <(find Sources/DropdialBase -name '*.swift' | sort) ;;
    manifest)
      mapfile -t sources < <(find Sources/DropdialConfig/Settings -name '*.swift' | sort)
      sources+=(Sources/DropdialImport/Manifest/Manifest.swift Fuzz/FuzzManifest.swift) ;;
  esac
  if [ -x "$bin" ] && [ -z "$(find "${sources[@]}" ${base[@]+"${base[@]}"} "$0" -newer "$bin" 2>/dev/null)" ]; then
    return
  fi
  echo "fuzz: building $target" >&2
  mkdir -p "$OUT"
  case $target in
    csv|xlsx|xls)
      local xml_include
      xml_include=$( (pkg-config --cflags-only-I libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2) \
        | sed 's/-I/-Xcc -I/g')
      # The readers' one dependency, DropdialBase (calendar, timestamps), as a module first.
      local lib=$OUT/base-lib
      mkdir -p "$lib"
      swiftc_quiet -module-name DropdialBase -emit-module -emit-module-path "$lib/DropdialBase.swiftmodule" \
        -emit-library -static -o "$lib/libDropdialBase.a" "${base[@]}"
      # shellcheck disable=SC2086
      swiftc_quiet -module-name DropdialReaders -I "$lib" -I Sources/CZip -I Sources/CLibXML2 \
        $xml_include "${sources[@]}" "$lib/libDropdialBase.a" -o "$bin" ;;
    manifest)
      # DropdialConfig's settings (not its TOML file layer) as a module, then Manifest.swift on top.
      local lib=$OUT/manifest-lib
      mkdir -p "$lib"
      mapfile -t config < <(find Sources/DropdialConfig/Settings -name '*.swift' | sort)
      swiftc_quiet -module-name DropdialConfig -emit-module -emit-module-path "$lib/DropdialConfig.swiftmodule" \
        -emit-library -static -o "$lib/libDropdialConfig.a" "${config[@]}"
      swiftc_quiet -module-name DropdialImport -I "$lib" Sources/DropdialImport/Manifest/Manifest.swift \
        Fuzz/FuzzManifest.swift "$lib/libDropdialConfig.a" -o "$bin" ;;
  esac
}

# Largest input per target: a few records of text, a small workbook, a manifest.
max_len() {
  case $1 in csv) echo 8192 ;; xlsx|xls) echo 65536 ;; manifest) echo 4096 ;; esac
}

run() {
  local target=$1
  build "$target"
  mkdir -p "$OUT/corpus/$target" "$OUT/artifacts/$target"
  echo "fuzz: $target for ${SECONDS_EACH}s" >&2
  # shellcheck disable=SC2086
  nice -n 19 "$OUT/fuzz-$target" "$OUT/corpus/$target" "$OUT/seeds/$target" \
    -dict="Fuzz/$target.dict" -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 \
    -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/$target/" ${FUZZ_FLAGS:-}
}

case $1 in
  all) selected=("${TARGETS[@]}") ;;
  csv|xlsx|xls|manifest) selected=("$1") ;;
  *) usage ;;
esac
python3 scripts/make_fuzz_seeds.py "$OUT/seeds" >&2
for t in "${selected[@]}"; do build "$t"; done
for t in "${selected[@]}"; do run "$t"; done
