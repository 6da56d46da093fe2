#!/usr/bin/env bash
# THE test command (the README's, and what .ci/run executes). Installs what is
# missing (scripts/setup.sh), then runs, stopping at the first failure:
#   1. cargo test --workspace (native: the core, and the front-end crates' unit tests), then the core's
#      tests without its fast-paths feature (what the browser's size build runs)
#   2. scripts/build.sh (js/pkg: the import-free module and the WASI command)
#   3. cargo clippy --workspace --all-targets -D warnings (fatal), then biome ci over js/ and www/ (fatal)
#   4. the npm package's tests (js/), if it has a test script
#   5. the engine tests (tests/engines: wasmtime via pytest, then V8 via node --test)
#   6. the Kubewarden policy's tests (policy/: native, then policy.wasm in the waPC host)
#   7. the dashboard's browser tests (www/), if it has a test script
#   8. the bundler tests (tests/bundlers: esbuild and Vite builds of the npm package in Chromium)
#   9. every executable tests/*.sh, in sorted order
# Output goes to the terminal and to test-output/test.log; the last line is
# `total: N passed, 0 failed`, summed from cargo's "test result:" lines,
# node's "# pass"/"# fail" lines and pytest's summary lines.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p test-output
LOG="$PWD/test-output/test.log"
: >"$LOG"
export PYTHONDONTWRITEBYTECODE=1

# Each section header also says how long the previous one took (the timings are figures, not tests).
T0=$SECONDS
T_LAST=$SECONDS
section() {
  printf '\n=== %s  [previous section %ds, %ds in all]\n' "$*" $((SECONDS - T_LAST)) $((SECONDS - T0)) | tee -a "$LOG"
  T_LAST=$SECONDS
}
run() { "$@" 2>&1 | tee -a "$LOG"; }
has_test_script() { [[ -f $1/package.json ]] && node -e 'process.exit(require(process.argv[1]).scripts?.test ? 0 : 1)' "$PWD/$1/package.json"; }

section "setup"
run bash scripts/setup.sh

section "cargo test --workspace (native)"
run cargo test --workspace

# The browser's size build leaves the core's fast-paths feature out (its answers come from the reference
# paths alone): the core's tests again without it.
section "cargo test -p canary-tracker --no-default-features (the size build's paths)"
run cargo test -p canary-tracker --no-default-features

section "scripts/build.sh"
run bash scripts/build.sh

section "cargo clippy --workspace --all-targets -- -D warnings"
# Fatal. Its output is not added to the log: nothing in it is a test count.
if ! cargo clippy --workspace --all-targets --quiet -- -D warnings; then
  echo "test.sh: clippy found warnings (above)" >&2
  exit 1
fi
echo "clippy: clean"

section "biome ci (js/, www/: formatting at width 120 and lint, biome.jsonc)"
run tools/node_modules/.bin/biome ci --colors=off .

if has_test_script js; then
  section "js: npm test"
  (cd js && run npm test)
fi

section "engine tests: wasmtime (pytest)"
run python3 -m pytest -p no:cacheprovider tests/engines

section "engine tests: V8 (node --test)"
run node --test tests/engines/

# --- Kubewarden policy (policy/, its own cargo workspace; policy.wasm came from scripts/build.sh):
# native tests, then policy.wasm in the waPC host (wapc + wasmtime-provider), then its figures.
section "kubewarden policy: native tests, waPC host tests, bench"
(cd policy && run cargo test --locked -p canary-tracker-kubewarden)
(cd policy && run cargo test --locked -p kubewarden-host-tests)
(cd policy && run cargo run --locked -q -p kubewarden-host-tests --example bench)

if has_test_script www; then
  section "www: npm test"
  (cd www && run npm test)
fi

if has_test_script tests/bundlers; then
  section "tests/bundlers: npm test (esbuild and Vite builds of the package in Chromium)"
  (cd tests/bundlers && run npm test)
fi

shopt -s nullglob
for t in tests/*.sh; do
  if [[ -x $t ]]; then
    section "$t"
    run "./$t"
  fi
done

# Count: strip colour codes, then read each runner's own closing lines.
summary=$(sed -e 's/\x1b\[[0-9;]*m//g' "$LOG" | awk '
  /^test result: / {
    for (i = 1; i <= NF; i++) {
      if ($(i) ~ /^passed;?$/) pass += $(i - 1)
      if ($(i) ~ /^failed;?$/) fail += $(i - 1)
    }
    next
  }
  /^# pass [0-9]+$/ || /^ℹ pass [0-9]+$/ { pass += $3; next }
  /^# fail [0-9]+$/ || /^ℹ fail [0-9]+$/ { fail += $3; next }
  # pytest: "94 passed in 3.96s", "=== 1 failed, 93 passed in 4.0s ===" (also with "warnings", "skipped")
  / in [0-9.]+s( \([0-9:]+\))?( =+)?$/ && /[0-9]+ (passed|failed)/ {
    line = $0; gsub(/=/, "", line); n = split(line, w, /[ ,]+/)
    for (i = 2; i <= n; i++) {
      if (w[i] == "passed") pass += w[i - 1]
      if (w[i] == "failed") fail += w[i - 1]
    }
  }
  END { printf "%d %d", pass, fail }')
read -r passed failed <<<"$summary"
if ((passed == 0)); then
  echo "test.sh: no test counts found in $LOG" >&2
  exit 1
fi
echo "test.sh: ${SECONDS}s in all (last section $((SECONDS - T_LAST))s)"
echo "total: $passed passed, $failed failed"
((failed == 0))
