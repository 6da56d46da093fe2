#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 600), one after another, one
# job each (the machine has 2 cores). New inputs go to $WORK/<target>, the
# committed seeds in fuzz/corpus/<target> (and tests/bad-inputs for
# plan_bytes) are read only. Not run by CI; cargo test replays the seeds.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(plan_bytes plan_structured checksum_diff)
work=${WORK:-/tmp/canary-fuzz}
for t in "${targets[@]}"; do
  case $t in
    checksum_diff) seeds=(); extra=(-dict=fuzz/dict/checksum.dict) ;;
    plan_bytes) seeds=(tests/bad-inputs); extra=(-dict=fuzz/dict/plan.dict) ;;
    *) seeds=(); extra=() ;;
  esac
  mkdir -p "$work/$t"
  echo "== $t for ${secs}s ($(date -u +%H:%M:%S))"
  cargo +nightly fuzz run "$t" -O "$work/$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$secs" -rss_limit_mb=4096 -print_final_stats=1 "${extra[@]}" \
    || echo "== $t FAILED (see fuzz/artifacts/$t)"
done
