#!/usr/bin/env bash
# One command for the demo: installs what is missing, builds, and runs the PayEx Billing
# sandbox, the proxy and the widget site. Ctrl-C stops everything.
#   DEMO_PORT (default 8080), SANDBOX_PORT (default 8081), DEMO_ADMIN_PORT (default 9090: the
#   proxy's /metrics and /readyz)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

DEMO_PORT="${DEMO_PORT:-8080}"
SANDBOX_PORT="${SANDBOX_PORT:-8081}"
DEMO_ADMIN_PORT="${DEMO_ADMIN_PORT:-9090}"
TOKEN="sandbox-token"   # the sandbox's demo token; held by the proxy, never sent to the browser

echo "=== building the widget (release bundle) and the services"
cargo fetch --locked
scripts/build-bundle.sh
cargo build --locked --profile service -p billing-sandbox -p billing-proxy

pids=()
# The site as built, with the demo's config.json (the sandbox's customers as shortcuts) in place
# of the product's: a directory of links, so dist/ stays what a company deploys.
site=$(mktemp -d)
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$site"; }
trap cleanup EXIT INT TERM
for entry in dist/*; do [ "$(basename "$entry")" = config.json ] || ln -s "$PWD/$entry" "$site/"; done
cp demo/site-config.json "$site/config.json"
ln -s "$PWD/dist/embed/demo/gallery.html" "$site/gallery.html"

# The gallery's faults touch only the gallery's customers (README, "Demo data").
SANDBOX_TOKEN="$TOKEN" target/service/billing-sandbox --listen "127.0.0.1:$SANDBOX_PORT" --fault gallery & pids+=($!)
# Trusted mode with writes from the demo's own origins; the sandbox is plain http on loopback,
# which the proxy accepts only when told so.
PROXY_TOKEN="$TOKEN" PROXY_OWNER_NO=100200 target/service/billing-proxy --listen "127.0.0.1:$DEMO_PORT" \
  --admin-listen "127.0.0.1:$DEMO_ADMIN_PORT" \
  --upstream "http://127.0.0.1:$SANDBOX_PORT" --allow-insecure-upstream true \
  --access trusted --trusted-scope read-write \
  --allowed-origins "http://127.0.0.1:$DEMO_PORT,http://localhost:$DEMO_PORT" \
  --static-dir "$site" & pids+=($!)

for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$DEMO_PORT/healthz" && break; sleep 0.1; done
cat <<MSG

  Demo running:  http://127.0.0.1:$DEMO_PORT/
    private customer, 12 invoices:     http://127.0.0.1:$DEMO_PORT/?customer=15615616
    business customer, 20,000 lines:   http://127.0.0.1:$DEMO_PORT/?customer=5566778899
    every state of every view:         http://127.0.0.1:$DEMO_PORT/gallery.html
    CRM host page (custom elements):   http://127.0.0.1:$DEMO_PORT/embed/demo/crm.html
    My Pages host page (Swedish):      http://127.0.0.1:$DEMO_PORT/embed/demo/my-pages.html
    proxy metrics and readiness:       http://127.0.0.1:$DEMO_ADMIN_PORT/metrics  /readyz
  Press Ctrl-C to stop.

MSG
wait
