#!/bin/sh
# Regenerate src/spechash/layouts.json from the upstream Go sources in the local git mirrors.
# Usage: tools/genlayout/run.sh   (from anywhere; mirror paths can be overridden by env vars)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
GO=${GO:-$(command -v go || echo /usr/lib/go-1.19/bin/go)}
MIRROR=${MIRROR:-/work/.mirror}
VECTORS=${VECTORS:-/work/shared/vectors/spechash.json}
mkdir -p "$root/src/spechash"
cd "$here"
GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local "$GO" run . \
  -api "${K8S_API_MIRROR:-$MIRROR/kubernetes+api/repo}" \
  -apimachinery "${APIMACHINERY_MIRROR:-$MIRROR/kubernetes+apimachinery/repo}" \
  -flagger "${FLAGGER_MIRROR:-$MIRROR/fluxcd+flagger/repo}" \
  -from v1.0.0-rc.1 -to v1.44.0 \
  -vectors "$VECTORS" \
  -table "$here/releases.json" \
  -report "$here/decoding-report.txt" \
  -out "$root/src/spechash/layouts.json"
