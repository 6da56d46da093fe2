#!/usr/bin/env bash
# Builds policy/policy.wasm (git-ignored): the Kubewarden policy as a waPC
# guest for wasm32-unknown-unknown (release, LTO), then binaryen's wasm-opt
# -Oz (tools/node_modules, from scripts/setup.sh), and prints its raw and
# gzip -9 sizes. Skips the work when policy.wasm is newer than the policy's
# and the core's sources (FORCE=1 rebuilds).
set -euo pipefail
cd "$(dirname "$0")"

OUT=policy.wasm
WASM_OPT=../tools/node_modules/.bin/wasm-opt
BUILT=target/wasm32-unknown-unknown/release/canary_tracker_kubewarden.wasm

sizes() { printf 'policy/%s: %d bytes raw, %d gzip -9\n' "$OUT" "$(stat -c %s "$OUT")" "$(gzip -9c "$OUT" | wc -c)"; }

if [[ ${FORCE:-0} != 1 && -f $OUT && -z $(find src support Cargo.toml Cargo.lock build.sh ../src ../Cargo.toml \
  -newer "$OUT" -print -quit) ]]; then
  echo "policy/build.sh: $OUT is newer than the sources; nothing to do (FORCE=1 rebuilds)"
  sizes
  exit 0
fi

[[ -x $WASM_OPT ]] || { echo "policy/build.sh: $WASM_OPT is missing: run scripts/setup.sh" >&2; exit 1; }
# Source paths end up in panic locations: fixed prefixes keep the module's bytes
# independent of where the checkout and cargo's registry live.
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$(cd .. && pwd)=/canary-tracker --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
cargo build --release --target wasm32-unknown-unknown --locked -p canary-tracker-kubewarden
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$WASM_OPT" -Oz --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers \
  "$BUILT" -o "$tmp"

# A waPC guest: it imports only the waPC host functions and exports the entry points.
node -e '
  const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
  const bad = WebAssembly.Module.imports(m).filter(i => i.module !== "wapc");
  if (bad.length) { console.error("non-waPC imports:", JSON.stringify(bad)); process.exit(1); }
  const names = WebAssembly.Module.exports(m).map(e => e.name);
  for (const n of ["memory", "wapc_init", "__guest_call"])
    if (!names.includes(n)) { console.error("missing export", n); process.exit(1); }
' "$tmp" || { echo "policy/build.sh: $BUILT is not a waPC guest" >&2; exit 1; }
mv "$tmp" "$OUT"
chmod 644 "$OUT"
trap - EXIT
sizes
