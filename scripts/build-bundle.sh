#!/usr/bin/env bash
# Builds the release bundles into dist/: the standalone site (index.html, hashed names) and the
# embeddable elements (dist/embed/: payex-billing.js, its wasm and widget.css under stable
# names, and the example host pages in dist/embed/demo/), then the elements' hashed variant
# (manifest.json) and precompressed .br/.gz siblings. Expects scripts/setup.sh's tools.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release --offline
# After the site: a site build empties dist/, including dist/embed/.
trunk build embed.html --release --offline --dist dist/embed --filehash false
# The hashed variant of the elements' bundle, and .br/.gz siblings of both bundles' files.
node scripts/finish-bundle.mjs dist/embed dist
