#!/usr/bin/env bash
# Builds the bench-only wasm-bindgen module (cargo feature `bench`: the js
# build plus a bare `sha256Hex` export) into target/bench-pkg/node, with the
# same profile, wasm-bindgen and wasm-opt flags as scripts/build.sh's
# js/pkg/node — so `checksum` vs `sha256Hex` compares one build with itself.
# Never shipped. Skips the work when the output is newer than the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target/bench-pkg/node
WASM_OPT=tools/node_modules/.bin/wasm-opt
if [[ -f $OUT/canary_tracker_bg.wasm && -z $(find src Cargo.toml Cargo.lock js/bench/build-bench.sh -newer "$OUT/canary_tracker_bg.wasm" -print -quit) ]]; then
  exit 0
fi
[[ -x $WASM_OPT ]] || { echo "build-bench.sh: $WASM_OPT is missing: run scripts/setup.sh" >&2; exit 1; }
echo "== bench wasm build (features js,bench)" >&2
cargo rustc --quiet --lib --release --target wasm32-unknown-unknown --crate-type cdylib --features bench \
  --target-dir target/wasm-bench
rm -rf "$OUT" && mkdir -p "$OUT"
wasm-bindgen --target nodejs --out-dir "$OUT" target/wasm-bench/wasm32-unknown-unknown/release/canary_tracker.wasm
"$WASM_OPT" -Oz --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers \
  "$OUT/canary_tracker_bg.wasm" -o "$OUT/opt.wasm"
mv "$OUT/opt.wasm" "$OUT/canary_tracker_bg.wasm"
echo '{ "type": "commonjs" }' > "$OUT/package.json"
