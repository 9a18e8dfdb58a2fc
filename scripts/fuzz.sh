#!/usr/bin/env bash
# Coverage-guided fuzzing of the proxy's path and token parsing for a bounded time.
#   scripts/fuzz.sh [seconds]   (default: FUZZ_SECONDS or 60)
# Needs the nightly toolchain and cargo-fuzz; installs cargo-fuzz if missing (idempotent).
# Without nightly it says so and falls back to the bounded stable fuzz test that
# `cargo test` always runs (proxy/tests/fuzz_bounded.rs), with more cases.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-${FUZZ_SECONDS:-60}}"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "=== fuzz: no nightly toolchain (rustup toolchain install nightly --profile minimal);" \
       "running the stable bounded fuzz test with 1,000,000 cases instead"
  FUZZ_CASES=1000000 exec cargo test --locked -p billing-proxy --test fuzz_bounded
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "=== fuzz: installing cargo-fuzz (once)"
  cargo install cargo-fuzz --locked
fi
cd proxy/fuzz
mkdir -p corpus/parse
# Seeds: the demo's real targets and a JWT-shaped session token.
printf '%s' '/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7/subscriptions/V%C3%A4xel%201%2FA/recurring-products?page=2' > corpus/parse/special
printf '%s' '/billing/invoice/v1/100200/invoices?customerNo=15615616&pageSize=10&page=2' > corpus/parse/paged
printf '%s' 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJvd25lck5vIjoiMTAwMjAwIn0.c2lnbmF0dXJl' > corpus/parse/token
echo "=== fuzz: cargo +nightly fuzz run parse for ${SECONDS_TO_RUN}s"
cargo +nightly fuzz run parse corpus/parse -- -max_total_time="$SECONDS_TO_RUN" -max_len=2048
