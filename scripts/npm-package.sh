#!/usr/bin/env bash
# The npm package of the elements, as a host gets it (after scripts/build-bundle.sh and the
# service build):
#   1. `npm pack` of dist/package/ (prints the tarball's name and size);
#   2. a throwaway host project (a temporary directory) installs that tarball from the local
#      file, offline;
#   3. the React host example (examples/react-host/) is type-checked and bundled with esbuild in
#      that project, against the installed copy, into dist/react-host/ (e2e/react-host.mjs);
#   4. the elements' end-to-end tests (e2e/package.mjs) run against the installed copy, served
#      as /embed/ with the demo host pages beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NAME=@payex-billing/elements
HOST=$(mktemp -d)
trap 'rm -rf "$HOST"' EXIT

# 1. The tarball.
(cd dist/package && npm pack --json --pack-destination "$HOST" 2>/dev/null) > "$HOST/pack.json"
TARBALL=$(node -e '
  const [p] = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const kb = (n) => (n / 1000).toFixed(1) + " kB";
  console.error(`npm pack: ${p.filename}: ${kb(p.size)} (${p.entryCount} files, ${kb(p.unpackedSize)} unpacked), ${p.name}@${p.version}`);
  console.log(p.filename);' "$HOST/pack.json")

# 2. The host project installs it from the file, without the network.
APP=$HOST/app
mkdir -p "$APP"
echo '{ "name": "throwaway-host", "private": true, "type": "module" }' > "$APP/package.json"
(cd "$APP" && npm install --offline --no-audit --no-fund --loglevel=error "$HOST/$TARBALL")
PKG=$APP/node_modules/$NAME
# The package's `exports` point a host's import at the installed copy's module.
(cd "$APP" && node --input-type=module -e "
  const url = import.meta.resolve('$NAME');
  if (url !== 'file://$PKG/payex-billing.js') throw new Error('$NAME resolves to ' + url);
  console.log('installed offline in a throwaway project: import \'$NAME\' resolves to ' + url.replace('file://$HOST/', ''));")

# 3. The React host example, built the way a host builds: its sources in the project, React
#    from the repository's node_modules (linked: no network), the elements from the install.
cp -r examples/react-host/src examples/react-host/tsconfig.json "$APP/"
mkdir -p "$APP/node_modules/@types"
for dep in react react-dom @types/react @types/react-dom; do ln -s "$ROOT/node_modules/$dep" "$APP/node_modules/$dep"; done
(cd "$APP" && "$ROOT/node_modules/.bin/tsc" -p tsconfig.json)
rm -rf dist/react-host
(cd "$APP" && "$ROOT/node_modules/.bin/esbuild" src/main.tsx --bundle --format=esm --jsx=automatic --minify \
  --define:process.env.NODE_ENV='"production"' --log-level=warning --outfile="$ROOT/dist/react-host/main.js")
cp examples/react-host/index.html "$PKG/billing-widget_bg.wasm" "$PKG/widget.css" dist/react-host/
echo "react host: dist/react-host/main.js $(stat -c %s dist/react-host/main.js) bytes (tsc clean), with the installed package's wasm and stylesheet"

# 4. The elements' tests against the installed copy: /embed/ is the installed package's files
#    (linked, so the bytes served are the installed ones) and the demo host pages.
mkdir -p "$HOST/static/embed"
for file in "$PKG"/*; do ln -s "$file" "$HOST/static/embed/"; done
ln -s "$ROOT/dist/embed/demo" "$HOST/static/embed/demo"
# The precompression test is left out: the package ships no .br/.gz files (a host's server
# compresses); it runs against dist/ in the full end-to-end suite.
E2E_DIST="$HOST/static" E2E_PACKAGE_DIR="$PKG" E2E_ONLY='^(?!the hashed bundle)' node e2e/package.mjs
