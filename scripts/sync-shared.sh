#!/usr/bin/env bash
# Vendors what the tests read from the steering repo's shared folder
# (../shared beside the repository) into tests/data/, so the repository
# passes its tests on its own. `--check` only reports drift (exit 1 if any).
#   tests/data/fixtures/plan/*   plan scenarios (objects.yaml, expected.json)
#   tests/data/vectors/*         Go-generated checksum and spec-hash vectors
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${CANARY_SHARED:-../shared}
DST=tests/data
[[ -d $SRC ]] || { echo "sync-shared: no shared folder at $SRC" >&2; exit 2; }

# What is vendored: shared-relative paths.
ITEMS=(fixtures/README.md fixtures/plan vectors)

if [[ ${1:-} == --check ]]; then
  drift=0
  for item in "${ITEMS[@]}"; do
    if ! diff -r -q "$SRC/$item" "$DST/$item"; then drift=1; fi
  done
  if ((drift)); then echo "sync-shared: tests/data differs from $SRC (run scripts/sync-shared.sh)"; exit 1; fi
  echo "sync-shared: tests/data matches $SRC"
  exit 0
fi

for item in "${ITEMS[@]}"; do
  rm -rf "${DST:?}/$item"
  mkdir -p "$(dirname "$DST/$item")"
  cp -r "$SRC/$item" "$DST/$item"
  chmod -R u+w "$DST/$item"
done
git status --short -- "$DST" || true
echo "sync-shared: vendored ${ITEMS[*]} from $SRC into $DST"
