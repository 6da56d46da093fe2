#!/usr/bin/env bash
# Installs what building and testing need, only what is missing, so a second
# run does nothing. For a Debian 12 machine with rustup, Node 20 and npm, as
# root (CI's and the developers' machines):
#   rustup targets wasm32-unknown-unknown, wasm32-wasip1
#   Debian's chromium (browser tests); kubectl (checked: the dashboard tests run `kubectl proxy`)
#   Python packages wasmtime, PyYAML, pytest (engine tests)
#   npm ci in tools/ (binaryen 132's wasm-opt, never Debian's binaryen; biome), js/, www/, tests/bundlers/
# `setup.sh --demo` installs only what scripts/demo.sh needs: the wasm32-unknown-unknown target and js/'s
# runtime dependencies (npm ci --omit=dev); a later plain run adds the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO=0
[[ ${1:-} == --demo ]] && DEMO=1
PY_PACKAGES=("wasmtime==50.0.1" "PyYAML==6.0.3" "pytest==9.0.2")

step() { echo "setup: $*"; }
die() { echo "setup.sh: $*" >&2; exit 1; }

command -v rustup >/dev/null || die "rustup is missing (it comes with the machine)"
command -v node >/dev/null || die "node is missing (Node 20 comes with the machine)"
command -v npm >/dev/null || die "npm is missing (it comes with the machine)"

# Rust targets.
installed_targets=$(rustup target list --installed)
targets=(wasm32-unknown-unknown)
((DEMO)) || targets+=(wasm32-wasip1)
for t in "${targets[@]}"; do
  if ! grep -qx "$t" <<<"$installed_targets"; then
    step "rustup target add $t"
    rustup target add "$t"
  fi
done

# npm: `npm ci` once per lockfile. npm writes node_modules/.package-lock.json on install: skip when it is newer
# than the lockfile, unless the install was --omit=dev (a demo's) and this run wants everything.
npm_ci() {
  local dir=$1 lock=$1/node_modules/.package-lock.json omit=$1/node_modules/.omit-dev
  [[ -f $dir/package-lock.json ]] || return 0
  if [[ -f $lock && $lock -nt $dir/package-lock.json && $lock -nt $dir/package.json ]] && { ((DEMO)) || [[ ! -f $omit ]]; }; then
    return 0
  fi
  if ((DEMO)); then
    step "npm ci --omit=dev in $dir/"
    (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
    touch "$omit"
  else
    step "npm ci in $dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    rm -f "$omit"
  fi
}

if ((DEMO)); then
  npm_ci js
  step "ready for scripts/demo.sh"
  exit 0
fi

# Debian packages.
apt_updated=0
apt_install() {
  if [[ $apt_updated == 0 ]]; then
    step "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  step "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
[[ -x /usr/bin/chromium ]] || apt_install chromium
if ! command -v kubectl >/dev/null; then
  # Debian 12 has no kubectl package; install it if some configured apt source has one.
  if [[ $apt_updated == 0 ]]; then apt-get update -qq; apt_updated=1; fi
  if apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt_install kubectl
  else
    die "kubectl is missing and no apt source offers it: the dashboard's cluster-mode tests run 'kubectl proxy'. Install kubectl (or set KUBECTL=/path/to/kubectl) and rerun."
  fi
fi

# Python packages for the engine tests.
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt_install python3-pip
fi
missing_py=()
python3 -c 'import wasmtime' 2>/dev/null || missing_py+=("${PY_PACKAGES[0]}")
python3 -c 'import yaml' 2>/dev/null || missing_py+=("${PY_PACKAGES[1]}")
python3 -c 'import pytest' 2>/dev/null || missing_py+=("${PY_PACKAGES[2]}")
if ((${#missing_py[@]})); then
  step "pip install ${missing_py[*]}"
  # Debian's own python3 refuses pip outside a venv (PEP 668); the machine's python3 is pyenv's.
  python3 -m pip install -q --disable-pip-version-check "${missing_py[@]}" ||
    python3 -m pip install -q --disable-pip-version-check --break-system-packages "${missing_py[@]}"
fi

npm_ci tools
npm_ci js
npm_ci www
npm_ci tests/bundlers
[[ -x tools/node_modules/.bin/wasm-opt ]] || die "tools/node_modules/.bin/wasm-opt is missing after npm ci in tools/"
step "ready"
