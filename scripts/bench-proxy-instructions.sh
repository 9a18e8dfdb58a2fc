#!/usr/bin/env bash
# Instructions per request of billing-proxy and of proxy/examples/bare_proxy.rs (the same HTTP
# stack with no checks), counted by valgrind's callgrind under the same wrk load on
# `GET …/customers/15615616`. Counts do not vary from run to run the way time does on a shared
# VM, so this shows what a change to the proxy's own work saves where scripts/bench-proxy.sh
# (throughput against nginx) cannot tell it from noise. Instructions are not time: system calls
# and cache misses are not in them.
#   scripts/bench-proxy-instructions.sh     (BENCH_SECONDS=15; BENCH_PROXY_BIN=path to count
#                                           another build of the proxy; the per-function
#                                           profiles stay in target/callgrind/)
# Installs valgrind and wrk from Debian if missing (idempotent; needs root or sudo for apt).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_SECONDS:-15}"
TARGET="/billing/customer/v1/100200/customers/15615616"
TOKEN="bench-token-$$"

. scripts/debian-packages.sh
ensure_debian_packages wrk valgrind

echo "=== building the sandbox, the proxy and bare_proxy (profile service)"
cargo build --locked --profile service -p billing-sandbox -p billing-proxy 2>&1 | tail -1
cargo build --locked --profile service -p billing-proxy --example bare_proxy 2>&1 | tail -1

out=target/callgrind
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

SANDBOX_PORT=18091
SANDBOX_TOKEN="$TOKEN" RUST_LOG=warn target/service/billing-sandbox --listen "127.0.0.1:$SANDBOX_PORT" >"$work/sandbox.log" 2>&1 &
pids+=($!)

count() { # name port command... -> prints "requests instructions"
  local name=$1 port=$2
  shift 2
  valgrind --tool=callgrind --callgrind-out-file="$out/$name.%p" "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port$TARGET" && break; sleep 0.2; done
  # Warm up (connections made, pools filled), then count the measured load only.
  wrk -t1 -c8 -d2s "http://127.0.0.1:$port$TARGET" >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  local requests
  requests=$(wrk -t1 -c8 -d"${DURATION}s" "http://127.0.0.1:$port$TARGET" | awk '/requests in/ {print $1}')
  callgrind_control -d "$pid" >/dev/null 2>&1
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # The dump made after the load holds what was counted since the counters were zeroed.
  echo "$requests $(awk '/^(summary|totals):/ {print $2; exit}' "$out/$name.$pid.1")"
}

echo "=== wrk -t1 -c8 -d${DURATION}s under callgrind (a few thousand requests per second)"
read -r p_req p_ir < <(PROXY_TOKEN="$TOKEN" PROXY_OWNER_NO=100200 PROXY_ACCESS=trusted PROXY_RATE_LIMIT_PER_SECOND=0 RUST_LOG=warn \
  count proxy 18090 "${BENCH_PROXY_BIN:-target/service/billing-proxy}" --listen 127.0.0.1:18090 \
  --admin-listen 127.0.0.1:0 --upstream "http://127.0.0.1:$SANDBOX_PORT" --allow-insecure-upstream true \
  --static-dir "$work")
read -r b_req b_ir < <(count bare 18092 target/service/examples/bare_proxy 127.0.0.1:18092 "http://127.0.0.1:$SANDBOX_PORT" "$TOKEN")
awk -v pr="$p_req" -v pi="$p_ir" -v br="$b_req" -v bi="$b_ir" 'BEGIN {
  printf "%-14s %10s %16s %18s\n", "", "requests", "instructions", "per request"
  printf "%-14s %10d %16d %18.0f\n", "billing-proxy", pr, pi, pi / pr
  printf "%-14s %10d %16d %18.0f\n", "bare_proxy", br, bi, bi / br
  printf "the proxy executes %.2f times the bare stack'\''s instructions per request\n", (pi / pr) / (bi / br)
}'
echo "(per-function profiles: callgrind_annotate --inclusive=yes $out/proxy.<pid>.<n>)"
