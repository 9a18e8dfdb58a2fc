#!/usr/bin/env bash
# The bundle budget: builds the release bundles, reports what each large dependency costs in
# the embeddable wasm (twiggy, on a build that keeps function names, before wasm-opt), then
# prints the bundle's sizes against the 150 KB brotli budget; fails when the bundle grows past its
# ceiling, or with --strict above the budget.  Usage: scripts/bundle-size.sh [--strict]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
command -v twiggy >/dev/null || { echo "=== installing twiggy (once)"; cargo install twiggy --locked; }
cargo fetch --locked
scripts/build-bundle.sh >/dev/null 2>&1 || scripts/build-bundle.sh

echo "=== what each crate costs in the embeddable wasm (code and data, before wasm-opt)"
cargo build --locked --release --target wasm32-unknown-unknown --lib -q
named="$(mktemp -d)"
trap 'rm -rf "$named"' EXIT
wasm-bindgen --target web --keep-debug --no-typescript --out-dir "$named" \
  target/wasm32-unknown-unknown/release/billing_widget.wasm
twiggy top -n 1000000 --format csv "$named/billing_widget_bg.wasm" | python3 -c '
import csv, re, sys, collections
rows = list(csv.DictReader(sys.stdin))
sizes = collections.Counter()
for r in rows:
    name, size = r["Name"], int(r["ShallowSize"])
    if "function names" in name or name.startswith("\"function names"):
        continue  # the names kept for this report, not shipped
    crates = re.findall(r"([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
    crate = crates[0] if crates else ("data" if "data segment" in name else "other")
    sizes[crate] += size
total = sum(sizes.values())
for crate, size in sizes.most_common(14):
    print(f"  {crate:<24} {size/1024:8.1f} KB  {100*size/total:5.1f} %")
print("  %-24s %8.1f KB" % ("all", total / 1024))
'
echo
echo "=== the embeddable bundle (dist/embed) a host downloads"
node scripts/bundle-size.mjs "$@" dist/embed
