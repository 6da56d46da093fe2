#!/usr/bin/env bash
# Builds the wasm artefacts into js/pkg/ (git-ignored):
#   js/pkg/abi/canary_tracker.wasm   the import-free module (crates/abi), built for size (opt-level "z",
#                                    wasm-opt -Oz, no `fast-paths`): the browser entry, the dashboard and
#                                    wasm engines run it
#   js/pkg/abi/canary_tracker.speed.wasm  the same crate built for speed (cargo profile `speed`, opt-level 2,
#                                    wasm-opt -O2, feature `fast-paths`: the core's faster paths and the
#                                    checksum_strings export): what Node loads for large plans; ~1.6x faster
#                                    plans, ~60 KB gzip larger
#   js/pkg/wasi/canary-tracker.wasm  the WASI command (crates/wasi): request JSON on stdin, response on stdout
#   policy/policy.wasm               the Kubewarden policy (policy/build.sh; its own cargo workspace)
# then prints raw and gzip sizes. `build.sh abi` builds both import-free modules alone; `build.sh size` the
# size build alone (all a CLI call on a small input needs; scripts/demo.sh).
# Skips a module when it is newer than the sources (FORCE=1 rebuilds).
#
# Both come from one `cargo build` target dir (target/), so the core and its dependencies compile once per
# target. wasm-opt -Oz (binaryen 132 from npm in tools/, never Debian's binaryen 108, which corrupts the output)
# runs when tools/node_modules has it; without it (scripts/setup.sh --demo does not install it) the module is
# left as cargo made it, ~25% larger, and the stamp says so, so a later full build optimises it.
# SIMD=1 adds -C target-feature=+simd128 (off by default: see the README for the measured sizes).
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=${PKG:-js/pkg}  # PKG=/tmp/x builds elsewhere (e.g. to compare SIMD=1)
WASM_OPT=tools/node_modules/.bin/wasm-opt
SIMD=${SIMD:-0}
# --low-memory-unused lets wasm-opt fold `p + C` into a load's or store's
# offset (-0.7 KB gzip). That differs only when `p + C` wraps past zero, which
# Rust's pointers never do (data from 1 MiB up, the stack below it); a stack
# overflowing past zero would trap instead of writing the first KiB.
OPT_FLAGS=(-Oz --low-memory-unused --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers)
WHAT=${1:-all}
[[ $WHAT == all || $WHAT == abi || $WHAT == size ]] || { echo "usage: build.sh [all|abi|size]" >&2; exit 2; }

die() { echo "build.sh: $*" >&2; exit 1; }

if [[ -x $WASM_OPT ]]; then OPT=1; else OPT=0; fi
# What a module's stamp must say for it to count as built; a missing wasm-opt never forces a rebuild.
want_stamp() { echo "simd=$SIMD opt=$OPT"; }

# up_to_date OUTPUT: the output exists, was built with these settings, and nothing it is made from is newer.
up_to_date() {
  local out=$1 stamp=$1.stamp
  [[ ${FORCE:-0} != 1 && -f $out && -f $stamp ]] || return 1
  local have
  have=$(cat "$stamp")
  [[ $have == "$(want_stamp)" || ($OPT == 0 && $have == "simd=$SIMD opt=1") ]] || return 1
  [[ -z $(find src crates Cargo.toml Cargo.lock scripts/build.sh tools/package-lock.json -newer "$stamp" -print -quit) ]]
}

if [[ $SIMD == 1 ]]; then
  export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128"
  OPT_FLAGS+=(--enable-simd)
fi
TARGET_DIR=target
[[ $SIMD == 1 ]] && TARGET_DIR=target/simd  # other flags: other artefacts, kept apart

# install_wasm FROM TO [LEVEL]: wasm-opt (when available; LEVEL replaces -Oz) into place, atomically, then the
# stamp.
install_wasm() {
  local from=$1 to=$2 flags=("${OPT_FLAGS[@]}")
  [[ -n ${3:-} ]] && flags[0]=$3
  mkdir -p "$(dirname "$to")"
  if [[ $OPT == 1 ]]; then
    "$WASM_OPT" "${flags[@]}" "$from" -o "$to.tmp"
  else
    echo "build.sh: $WASM_OPT is not installed (scripts/setup.sh installs it): $to is not optimised"
    cp "$from" "$to.tmp"
  fi
  mv "$to.tmp" "$to"
  want_stamp >"$to.stamp"
}

ABI=$PKG/abi/canary_tracker.wasm
SPEED=$PKG/abi/canary_tracker.speed.wasm
WASI=$PKG/wasi/canary-tracker.wasm

# build_abi PROFILE OUT [WASM_OPT_LEVEL [CARGO_ARGS…]]: crates/abi under a cargo profile, optimised into OUT.
build_abi() {
  local profile=$1 out=$2 level=${3:-}
  shift $(($# < 3 ? $# : 3))
  if up_to_date "$out"; then
    echo "build.sh: $out is up to date"
    return
  fi
  echo "== import-free module (crates/abi, cargo profile $profile)"
  cargo build --profile "$profile" --target wasm32-unknown-unknown -p canary-tracker-abi --target-dir "$TARGET_DIR" "$@"
  install_wasm "$TARGET_DIR/wasm32-unknown-unknown/$profile/canary_tracker.wasm" "$out" "$level"
  # The module must instantiate with an empty import object and export the ABI.
  node -e '
    const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
    const imports = WebAssembly.Module.imports(m);
    if (imports.length) { console.error("abi module has imports:", JSON.stringify(imports)); process.exit(1); }
    const names = WebAssembly.Module.exports(m).map(e => e.name);
    for (const n of ["memory", "alloc", "dealloc", "abi_version", "plan", "checksum", "call"])
      if (!names.includes(n)) { console.error("abi module lacks export", n); process.exit(1); }
  ' "$out" || { rm -f "$out.stamp"; die "the import-free module is not import-free"; }
}

build_abi release "$ABI"
[[ $WHAT == size ]] || build_abi speed "$SPEED" -O2 --features fast-paths

if [[ $WHAT == all ]]; then
  # The Kubewarden policy: its own cargo workspace; policy/build.sh skips the work when policy.wasm is newer
  # than its sources and prints its size.
  echo "== Kubewarden policy (policy/build.sh)"
  bash policy/build.sh
  if up_to_date "$WASI"; then
    echo "build.sh: $WASI is up to date"
  else
    echo "== WASI command (crates/wasi)"
    cargo build --release --target wasm32-wasip1 -p canary-tracker-wasi --target-dir "$TARGET_DIR"
    install_wasm "$TARGET_DIR/wasm32-wasip1/release/canary-tracker-wasi.wasm" "$WASI"
  fi
fi

echo "== sizes (simd128: $SIMD)"
printf '%-40s %10s %10s  %s\n' "artefact" "raw bytes" "gzip -9" "built with"
for f in "$ABI" "$SPEED" "$WASI"; do
  [[ -f $f ]] || continue
  printf '%-40s %10d %10d  %s\n' "$f" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)" "$(cat "$f.stamp")"
done
