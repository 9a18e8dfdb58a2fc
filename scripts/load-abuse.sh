#!/usr/bin/env bash
# Abusive load against billing-proxy in front of a deliberately slow upstream (500 ms per
# answer): 64 clients asking for huge pages, stalling request bodies, sending nothing, bursting,
# and waiting on the slow upstream (proxy/examples/load_abuse.rs). Samples the proxy's peak RSS
# (VmHWM), its open TCP connections (clients and upstream) and its connections to the upstream, prints each beside its cap, and
# exits 1 if one is over.
#   scripts/load-abuse.sh    (LOAD_SECONDS=20 LOAD_CLIENTS=64 LOAD_RSS_CAP_MIB=256;
#                             the proxy runs with --max-connections 48 --max-upstream-concurrency 16)
# Traffic stays on loopback; every client request is bounded in time and the run stops itself.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${LOAD_SECONDS:-20}"
CLIENTS="${LOAD_CLIENTS:-64}"
RSS_CAP_MIB="${LOAD_RSS_CAP_MIB:-256}"
MAX_CONNECTIONS="${LOAD_MAX_CONNECTIONS:-48}"
MAX_UPSTREAM="${LOAD_MAX_UPSTREAM_CONCURRENCY:-16}"
WORKERS="${LOAD_WORKERS:-2}"
UPSTREAM_PORT="${LOAD_UPSTREAM_PORT:-18181}"
PROXY_PORT="${LOAD_PROXY_PORT:-18180}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

. scripts/debian-packages.sh
command -v ss >/dev/null || ensure_debian_packages iproute2
echo "=== building the proxy and the load example (profile service)"
cargo build --locked --profile service -p billing-proxy --bin billing-proxy --example load_abuse 2>&1 | tail -1

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$TARGET_DIR/service/examples/load_abuse" upstream "127.0.0.1:$UPSTREAM_PORT" 500 >"$work/upstream.log" 2>&1 & pids+=($!)
PROXY_TOKEN="load-token" PROXY_OWNER_NO=100200 PROXY_ACCESS=trusted PROXY_RATE_LIMIT_PER_SECOND=0 RUST_LOG=error \
  "$TARGET_DIR/service/billing-proxy" --listen "127.0.0.1:$PROXY_PORT" --admin-listen 127.0.0.1:0 \
  --upstream "http://127.0.0.1:$UPSTREAM_PORT" --allow-insecure-upstream true \
  --trusted-scope read-write --allowed-origins http://proxy.test \
  --static-dir "$work" --worker-threads "$WORKERS" --max-connections "$MAX_CONNECTIONS" \
  --max-upstream-concurrency "$MAX_UPSTREAM" --upstream-queue-timeout-ms 1000 \
  --header-read-timeout-ms 3000 --body-read-timeout-ms 2000 --max-upstream-body-bytes 1048576 \
  >"$work/proxy.log" 2>&1 & proxy_pid=$!; pids+=($proxy_pid)
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PROXY_PORT/healthz" && break; sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$PROXY_PORT/healthz" || { echo "the proxy did not start:"; cat "$work/proxy.log"; exit 1; }

echo "=== $CLIENTS abusive clients for ${SECONDS_RUN}s ($(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg))"
"$TARGET_DIR/service/examples/load_abuse" clients "127.0.0.1:$PROXY_PORT" "$CLIENTS" "$SECONDS_RUN" >"$work/clients.log" 2>&1 & clients_pid=$!
pids+=($clients_pid)

# Sockets counted are the proxy's TCP connections: descriptors whose inode is a TCP socket
# not in LISTEN state (/proc/net/tcp{,6}). The listeners and the sockets tokio keeps for signals
# (a Unix socket pair, one copy per runtime) are not connections and are left out.
# Listing /proc/PID/fd is not atomic: a socket closed after the listing passed it and another
# opened before the listing reaches it are counted both. A count over the cap is therefore
# confirmed by a second listing at once (a socket really over the cap is still there).
count_sockets() {
  local inodes
  inodes=$( (find "/proc/$proxy_pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null || true) | tr -dc '0-9\n')
  awk 'NR == FNR { fds[$1]++; next } FNR > 1 && $4 != "0A" && ($10 in fds) { n += fds[$10] } END { print n + 0 }' \
    <(echo "$inodes") /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
socket_cap=$((MAX_CONNECTIONS + MAX_UPSTREAM * WORKERS))
peak_sockets=0 peak_upstream=0 samples=0
while kill -0 "$clients_pid" 2>/dev/null; do
  sockets=$(count_sockets)
  if (( sockets > socket_cap )); then
    again=$(count_sockets)
    (( again < sockets )) && sockets=$again
  fi
  upstream=$( (ss -Htn state established "( dport = :$UPSTREAM_PORT )" 2>/dev/null || true) | wc -l)
  (( sockets > peak_sockets )) && peak_sockets=$sockets
  (( upstream > peak_upstream )) && peak_upstream=$upstream
  samples=$((samples + 1))
  sleep 0.2
done
wait "$clients_pid" || true
cat "$work/clients.log"
kill -0 "$proxy_pid" 2>/dev/null || { echo "the proxy died:"; tail -20 "$work/proxy.log"; exit 1; }
hwm_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$proxy_pid/status")

# Caps: sockets are the client connections and the upstream connections. Each worker keeps at most the concurrency cap of upstream connections
# open, idle, busy or closing (proxy/src/pool.rs).
upstream_cap=$((MAX_UPSTREAM * WORKERS))
rss_cap_kib=$((RSS_CAP_MIB * 1024))
fail=0
report() { # name value cap unit
  local verdict=ok
  (( $2 > $3 )) && { verdict="OVER"; fail=1; }
  printf '%-26s %10s %s   cap %10s %s   %s\n' "$1" "$2" "$4" "$3" "$4" "$verdict"
}
echo "=== proxy under abuse ($samples samples)"
report "peak RSS (VmHWM)" "$hwm_kib" "$rss_cap_kib" KiB
report "peak TCP connections" "$peak_sockets" "$socket_cap" ""
report "peak upstream connections" "$peak_upstream" "$upstream_cap" ""
echo "(caps: --max-connections $MAX_CONNECTIONS + upstream $upstream_cap TCP connections, listeners not counted; upstream = --max-upstream-concurrency $MAX_UPSTREAM x $WORKERS workers; RSS budget LOAD_RSS_CAP_MIB)"
exit "$fail"
