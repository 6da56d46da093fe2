#!/usr/bin/env bash
# The README's first command: installs only what the CLI needs (scripts/setup.sh --demo), builds the one wasm
# module a CLI call on a small input runs (scripts/build.sh size), then shows the plan for the podinfo example: what Flagger will
# track, checksum, copy to -primary and rewrite in the primary Deployment.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --demo
bash scripts/build.sh size
echo
echo "\$ node js/cli.js plan examples/podinfo"
exec node js/cli.js plan examples/podinfo
