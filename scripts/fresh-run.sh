#!/usr/bin/env bash
# Benchmark (prints figures, asserts nothing but that the demo printed a plan): the README's first command,
# `bash scripts/demo.sh`, on a simulated fresh machine — a fresh clone of the committed HEAD, an empty cargo
# home (every crate downloaded from the registry again), an empty npm cache and no target dir. What cannot
# be undone on a shared machine stays: rustup's toolchain and its wasm32 target, Node and npm.
#   bash scripts/fresh-run.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/repo"
export CARGO_HOME=$tmp/cargo-home npm_config_cache=$tmp/npm-cache
mkdir -p "$CARGO_HOME"
start=$(date +%s%N)
if ! bash "$tmp/repo/scripts/demo.sh" >"$tmp/demo.log" 2>&1; then
  cat "$tmp/demo.log" >&2
  echo "fresh-run: scripts/demo.sh failed" >&2
  exit 1
fi
end=$(date +%s%N)
grep -q '^Canary test/podinfo' "$tmp/demo.log" || { cat "$tmp/demo.log" >&2; echo "fresh-run: no plan printed" >&2; exit 1; }
crates=$(find "$CARGO_HOME/registry/cache" -name '*.crate' 2>/dev/null | wc -l)
printf 'fresh-run: commit %s: bash scripts/demo.sh to the first plan in %.1f s (%d crates downloaded, %s)\n' \
  "$(git -C "$repo" rev-parse --short HEAD)" "$(((end - start) / 1000000))e-3" "$crates" "$(uptime | sed 's/.*load/load/')"
