#!/usr/bin/env bash
# Builds the release bundles into dist/: the standalone site (index.html, hashed names) and the
# embeddable elements (dist/embed/: payex-billing.js, its wasm and widget.css under stable
# names, and the example host pages in dist/embed/demo/), then the elements' hashed variant
# (manifest.json) and precompressed .br/.gz siblings, and lays out the npm package of the
# elements in dist/package/ (from dist/embed/, no second build). Expects scripts/setup.sh's tools.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release --offline
# After the site: a site build empties dist/, including dist/embed/.
trunk build embed.html --release --offline --dist dist/embed --filehash false
# The hashed variant of the elements' bundle, and .br/.gz siblings of both bundles' files.
node scripts/finish-bundle.mjs dist/embed dist
# The npm package (@payex-billing/elements): the same files, a package.json and a README.
node scripts/package-layout.mjs dist/embed dist/package
