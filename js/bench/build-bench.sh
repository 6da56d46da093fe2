#!/usr/bin/env bash
# Builds the bench-only import-free module (crates/abi-test: the shipped
# module's exports plus `bench_sha256`, bare SHA-256 in the same build) into
# target/bench-pkg/abi/canary_tracker.wasm with the same profile and wasm-opt
# flags as scripts/build.sh's js/pkg/abi, so `checksum` vs bare SHA-256
# compares one build with itself. SIMD=1 builds with +simd128 into
# target/bench-pkg-simd/. Never shipped. Skips the work when the output is
# newer than the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIMD=${SIMD:-0}
OPT_FLAGS=(-Oz --low-memory-unused --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers)
OUT=target/bench-pkg/abi/canary_tracker.wasm
TARGET_DIR=target
if [[ $SIMD == 1 ]]; then
  export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128"
  OPT_FLAGS+=(--enable-simd)
  OUT=target/bench-pkg-simd/abi/canary_tracker.wasm
  TARGET_DIR=target/simd
fi
WASM_OPT=tools/node_modules/.bin/wasm-opt
if [[ -f $OUT && -z $(find src crates Cargo.toml Cargo.lock js/bench/build-bench.sh -newer "$OUT" -print -quit) ]]; then
  exit 0
fi
[[ -x $WASM_OPT ]] || { echo "build-bench.sh: $WASM_OPT is missing: run scripts/setup.sh" >&2; exit 1; }
echo "== bench wasm build (crates/abi-test, SIMD=$SIMD)" >&2
cargo build --quiet --release --target wasm32-unknown-unknown -p canary-tracker-abi-test --target-dir "$TARGET_DIR"
mkdir -p "$(dirname "$OUT")"
"$WASM_OPT" "${OPT_FLAGS[@]}" "$TARGET_DIR/wasm32-unknown-unknown/release/canary_tracker_abi_test.wasm" -o "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
