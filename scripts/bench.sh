#!/usr/bin/env bash
# Benchmarks (figures, not tests): builds the release bundle and the services, then measures
# the invoice view on invoices of 50, 5,012 and 50,012 lines, and the floor under its cold first
# paint (e2e/bench-floor.mjs: on loopback, then with every API answer 80 ms late, as an upstream
# over the internet answers), and the comparison of two 50,000-line invoices (in the browser,
# from both loaded to the summary painted, and natively).
# Usage: scripts/bench.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh --browser
cargo fetch --locked
scripts/build-bundle.sh
cargo build --locked --profile service -p billing-sandbox -p billing-proxy
node e2e/bench-invoice.mjs "${1:-5}"
node e2e/bench-floor.mjs "${1:-11}"
BENCH_UPSTREAM_MS=80 node e2e/bench-floor.mjs "${1:-11}"
node e2e/bench-compare.mjs "${1:-5}"
cargo run --locked --profile service --example compare_invoices "${1:-11}"
