#!/usr/bin/env bash
# One command for every test: installs what is missing, then runs the checks, the native
# tests, the browser component tests, the release build and its size, and the end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
T0=$SECONDS
step() { echo "=== [$((SECONDS - T0))s] $*"; }

step "setup"
. scripts/setup.sh --browser
cargo fetch --locked

step "format and lints"
cargo fmt --all --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p billing-widget --all-targets -- -D warnings

step "embedding API: the TypeScript declarations compile, with their wrong uses refused (tsc), and the manifest, types and README agree with the code"
node_modules/.bin/tsc -p e2e/types/tsconfig.json && echo "tsc: e2e/types/ (plain TypeScript, React 19 and Preact JSX) compiles, its 7 wrong uses refused"
node scripts/check-embed-api.mjs

step "rustdoc: the docs build without warnings (broken links too), and the components' usage examples compile as doc tests"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps \
  -p billing-widget -p billing-contract -p billing-sandbox -p billing-proxy -p billing-leptos-app
cargo test --locked -p billing-widget --doc 2>&1 | grep -E "^(running|test result|test .* FAILED|error|---- )"

step "native tests (contract, model, sandbox, proxy)"
cargo test --locked --workspace

step "the proxy's hostile-request suite: one table per suite (request, status, reached upstream)"
cargo test --locked -p billing-proxy --test security -- --nocapture --test-threads=1 2>&1 \
  | grep -E "^(hostile|[a-z_]+$|  |test result)"

step "fuzzing the proxy's path and token parsing (bounded: FUZZ_SECONDS, default 30)"
scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

step "fuzzing the contract's decoders and the model with random and mutated JSON (bounded: FUZZ_SECONDS, default 30)"
FUZZ_CASES=100000000 FUZZ_SECONDS="${FUZZ_SECONDS:-30}" \
  cargo test --locked -p billing-widget --test fuzz_model -- --nocapture

step "browser component tests (wasm-bindgen-test, headless chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked --target wasm32-unknown-unknown -p billing-widget --test web --test recurring --test compare

step "the example Leptos app (examples/leptos-app), built for the browser on the widget's public API"
cargo build --locked --target wasm32-unknown-unknown -p billing-leptos-app
echo "built: billing-leptos-app.wasm (wasm32-unknown-unknown, dev profile)"

step "release bundle (trunk) and services"
scripts/build-bundle.sh
cargo build --locked --profile service -p billing-sandbox -p billing-proxy

step "the proxy under 64 abusive clients: peak RSS, sockets and upstream connections within their caps"
LOAD_SECONDS="${LOAD_SECONDS:-15}" scripts/load-abuse.sh

step "bundle size (fails if the embeddable bundle grew past its ceiling)"
node scripts/bundle-size.mjs dist/embed

step "npm package: npm pack (the tarball and its size), installed offline into a throwaway host project, the React host example built from it (tsc, esbuild), the elements' end-to-end tests against the installed copy"
scripts/npm-package.sh

step "end-to-end (sandbox + proxy + release bundle in headless chromium; the React host example from the npm package step)"
node e2e/run.mjs
