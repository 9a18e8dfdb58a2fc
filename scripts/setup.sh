#!/usr/bin/env bash
# Installs what the project needs, skipping whatever is already there (idempotent).
#   scripts/setup.sh            build tools: wasm target, trunk, wasm-bindgen-cli, npm packages,
#                               PyJWT and cryptography (the proxy's session-minting test)
#   scripts/setup.sh --browser  the same plus Debian's chromium and chromium-driver (tests)
# Source it (`. scripts/setup.sh`) to get node_modules/.bin first on PATH, as Trunk needs.
set -euo pipefail

SETUP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14   # 0.22 needs rustc >= 1.96.1

setup_log() { echo "=== setup: $*"; }

setup_tools() {
  local wb_version
  # wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
  wb_version=$(grep -A1 '^name = "wasm-bindgen"$' "$SETUP_ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')

  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    setup_log "rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
    setup_log "trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wb_version"; then
    setup_log "wasm-bindgen-cli $wb_version"
    # No --locked: its lockfile pins a webpki-roots release the registry here lacks.
    cargo install wasm-bindgen-cli --version "$wb_version" --force
  fi
  if [ ! -x "$SETUP_ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$SETUP_ROOT/node_modules/playwright-core" ] || [ ! -d "$SETUP_ROOT/node_modules/axe-core" ] \
     || [ ! -d "$SETUP_ROOT/node_modules/jose" ] || [ ! -x "$SETUP_ROOT/node_modules/.bin/tsc" ] \
     || [ ! -x "$SETUP_ROOT/node_modules/.bin/esbuild" ] || [ ! -d "$SETUP_ROOT/node_modules/react-dom" ] \
     || [ "$SETUP_ROOT/package-lock.json" -nt "$SETUP_ROOT/node_modules/.package-lock.json" ]; then
    setup_log "npm packages (binaryen = wasm-opt 132, playwright-core, axe-core, jose, typescript, react, esbuild)"
    (cd "$SETUP_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # proxy/tests/session_minting.rs runs proxy/examples/mint_session.py, which mints with PyJWT
  # (cryptography for EdDSA); in CI a missing module fails that test.
  if ! python3 -c 'import jwt, cryptography' 2>/dev/null; then
    setup_log "python packages pyjwt and cryptography"
    local user="--user"
    # Inside a virtual environment --user is refused; the environment is the user's own.
    python3 -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)' && user=""
    python3 -m pip install ${user:+"$user"} -q 'pyjwt>=2.4' cryptography
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    setup_log "chromium and chromium-driver (Debian)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

setup_tools
if [ "${1:-}" = "--browser" ]; then setup_browser; fi
# Trunk pins wasm-opt version_132 (npm binaryen); Debian's binaryen 108 breaks the bundle.
export PATH="$SETUP_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
