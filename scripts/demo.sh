#!/usr/bin/env bash
# Installs what is missing, builds js/pkg if the sources changed, then shows
# the plan for the podinfo example: what Flagger will track, checksum, copy
# to -primary and rewrite in the primary Deployment.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh
[[ -f js/cli.js ]] || { echo "demo.sh: js/cli.js does not exist yet (the npm package's CLI)" >&2; exit 1; }
[[ -d examples/podinfo ]] || { echo "demo.sh: examples/podinfo/ does not exist yet" >&2; exit 1; }
echo
echo "\$ node js/cli.js plan examples/podinfo"
exec node js/cli.js plan examples/podinfo
