#!/usr/bin/env bash
# Builds every wasm artefact into js/pkg/ (git-ignored):
#   js/pkg/node/   wasm-bindgen --target nodejs  (CommonJS: require('./js/pkg/node/canary_tracker.js'))
#   js/pkg/web/    wasm-bindgen --target web     (ES module, default export = init)
#   js/pkg/abi/canary_tracker.wasm   import-free module ABI (README "Import-free module ABI")
#   js/pkg/wasi/canary-tracker.wasm  WASI command: request JSON on stdin, response on stdout
#   policy/policy.wasm               the Kubewarden policy (policy/build.sh)
# then prints raw and gzip sizes. Skips the work when every output is newer
# than src/, Cargo.toml, Cargo.lock, tools/package-lock.json and this script
# (FORCE=1 rebuilds).
#
# Needs what scripts/setup.sh installs: the two rustup targets, wasm-bindgen
# 0.2.130 and tools/node_modules/.bin/wasm-opt (binaryen 132 from npm; never
# Debian's binaryen). SIMD=1 adds -C target-feature=+simd128 (off by default:
# see the README for the measured sizes).
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=${PKG:-js/pkg}  # PKG=/tmp/x builds elsewhere (e.g. to compare SIMD=1)
STAMP=$PKG/.build-stamp
OUTPUTS=("$PKG/node/canary_tracker_bg.wasm" "$PKG/web/canary_tracker_bg.wasm" "$PKG/abi/canary_tracker.wasm" "$PKG/wasi/canary-tracker.wasm" "$STAMP")
WASM_OPT=tools/node_modules/.bin/wasm-opt
WASM_BINDGEN_VERSION=0.2.130
SIMD=${SIMD:-0}
OPT_FLAGS=(-Oz --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers)

die() { echo "build.sh: $*" >&2; exit 1; }

sizes() {
  printf '%-40s %10s %10s\n' "artefact" "raw bytes" "gzip -9"
  for f in "$PKG/node/canary_tracker_bg.wasm" "$PKG/web/canary_tracker_bg.wasm" "$PKG/abi/canary_tracker.wasm" "$PKG/wasi/canary-tracker.wasm"; do
    printf '%-40s %10d %10d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
  done
  echo "simd128: $(cat "$STAMP")"
}

up_to_date() {
  local o
  for o in "${OUTPUTS[@]}"; do [[ -f $o ]] || return 1; done
  [[ $(cat "$STAMP") == "simd=$SIMD" ]] || return 1
  [[ -z $(find src Cargo.toml Cargo.lock scripts/build.sh tools/package-lock.json -newer "$STAMP" -print -quit) ]]
}

# --- Kubewarden policy: policy/policy.wasm (its own cargo workspace; policy/build.sh
# skips the work when policy.wasm is newer than its sources and prints its size).
echo "== Kubewarden policy (policy/build.sh)"
bash policy/build.sh

if [[ ${FORCE:-0} != 1 ]] && up_to_date; then
  echo "build.sh: js/pkg is newer than the sources; nothing to do (FORCE=1 rebuilds)"
  sizes
  exit 0
fi

[[ -x $WASM_OPT ]] || die "$WASM_OPT is missing: run scripts/setup.sh"
command -v wasm-bindgen >/dev/null || die "wasm-bindgen is missing: run scripts/setup.sh"
[[ $(wasm-bindgen --version) == "wasm-bindgen $WASM_BINDGEN_VERSION" ]] ||
  die "need wasm-bindgen $WASM_BINDGEN_VERSION (it must match the crate's wasm-bindgen), found '$(wasm-bindgen --version)': run scripts/setup.sh"

suffix=""
if [[ $SIMD == 1 ]]; then
  export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128"
  OPT_FLAGS+=(--enable-simd)
  suffix="-simd"
fi

opt() { "$WASM_OPT" "${OPT_FLAGS[@]}" "$1" -o "$2"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The crate is rlib+cdylib, and cargo skips LTO for such a build, so the
# release wasm is built with `cargo rustc --crate-type cdylib`. The js and abi
# builds use separate target dirs: same output name, different features.
echo "== wasm-bindgen build (feature js)"
cargo rustc --lib --release --target wasm32-unknown-unknown --crate-type cdylib --features js \
  --target-dir "target/wasm-js$suffix"
wasm-bindgen --target nodejs --out-dir "$tmp/node" "target/wasm-js$suffix/wasm32-unknown-unknown/release/canary_tracker.wasm"
wasm-bindgen --target web --out-dir "$tmp/web" "target/wasm-js$suffix/wasm32-unknown-unknown/release/canary_tracker.wasm"
opt "$tmp/node/canary_tracker_bg.wasm" "$tmp/node/opt.wasm"
mv "$tmp/node/opt.wasm" "$tmp/node/canary_tracker_bg.wasm"
opt "$tmp/web/canary_tracker_bg.wasm" "$tmp/web/opt.wasm"
mv "$tmp/web/opt.wasm" "$tmp/web/canary_tracker_bg.wasm"
# node's output is CommonJS, web's an ES module, whatever js/package.json says.
echo '{ "type": "commonjs" }' > "$tmp/node/package.json"
echo '{ "type": "module" }' > "$tmp/web/package.json"

echo "== import-free build (feature abi)"
cargo rustc --lib --release --target wasm32-unknown-unknown --crate-type cdylib --features abi \
  --target-dir "target/wasm-abi$suffix"
mkdir -p "$tmp/abi"
opt "target/wasm-abi$suffix/wasm32-unknown-unknown/release/canary_tracker.wasm" "$tmp/abi/canary_tracker.wasm"

echo "== WASI command"
cargo build --release --target wasm32-wasip1 --bin canary-tracker-wasi --target-dir "target/wasm-wasi$suffix"
mkdir -p "$tmp/wasi"
opt "target/wasm-wasi$suffix/wasm32-wasip1/release/canary-tracker-wasi.wasm" "$tmp/wasi/canary-tracker.wasm"

# The ABI module must instantiate with an empty import object.
node -e '
  const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
  const imports = WebAssembly.Module.imports(m);
  if (imports.length) { console.error("abi module has imports:", JSON.stringify(imports)); process.exit(1); }
  const names = WebAssembly.Module.exports(m).map(e => e.name);
  for (const n of ["memory", "alloc", "dealloc", "abi_version", "plan", "checksum"])
    if (!names.includes(n)) { console.error("abi module lacks export", n); process.exit(1); }
' "$tmp/abi/canary_tracker.wasm" || die "the import-free module is not import-free"

mkdir -p "$PKG"
for d in node web abi wasi; do
  rm -rf "${PKG:?}/$d"
  mv "$tmp/$d" "$PKG/$d"
done
echo "simd=$SIMD" > "$STAMP"
echo "== sizes"
sizes
