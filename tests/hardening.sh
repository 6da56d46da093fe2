#!/usr/bin/env bash
# Hardening checks for the CLI and the import-free module (issue 5), run by
# scripts/test.sh with the other tests/*.sh:
#   tests/hardening/bad-inputs.test.mjs  tests/bad-inputs/ through the module and the CLI
#   tests/hardening/limits.test.mjs      module memory over 10,000 calls; trap recovery
#   tests/hardening/secrets.test.mjs     planted Secret markers never printed
# The trap test needs a module with a test-only `trap` export (crates/abi-test,
# never shipped), built here into target/wasm-abi-test — never into js/pkg.
# The core's side of the same cases is `cargo test --test hardening_bad_inputs
# --test hardening_corpus` (part of cargo test).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -f js/pkg/abi/canary_tracker.wasm && -f js/pkg/abi/canary_tracker.speed.wasm ]] || scripts/build.sh abi

echo "== hardening: building the test module with a trap export (crates/abi-test)"
# Unoptimised LTO settings: this build only has to trap, not be small.
CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  cargo build --quiet --release --target wasm32-unknown-unknown -p canary-tracker-abi-test --target-dir target/wasm-abi-test
export HARDENING_TRAP_WASM=$PWD/target/wasm-abi-test/wasm32-unknown-unknown/release/canary_tracker_abi_test.wasm

echo "== hardening: node --test tests/hardening/"
node --test --test-concurrency=2 tests/hardening/
