#!/usr/bin/env bash
# Regenerates comment.md: the PR comment `diff -o markdown` writes for base/ → head/.
# js/test/diff.test.js fails when it is stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
node js/cli.js diff examples/pr-check/base examples/pr-check/head -o markdown > examples/pr-check/comment.md
