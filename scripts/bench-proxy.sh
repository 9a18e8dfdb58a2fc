#!/usr/bin/env bash
# Throughput and latency of billing-proxy against Debian's nginx `proxy_pass`, both in front of
# the same sandbox on loopback, with the same load (wrk, same threads, connections, duration),
# one run each. Prints requests per second, p50 and p99 latency of each, their ratios, and the
# proxy's and nginx's RSS under load.
#   scripts/bench-proxy.sh            (BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_THREADS=2;
#                                      BENCH_ROUNDS=5 repeats the pair (nginx first in odd
#                                      rounds, the proxy first in even ones) and prints the
#                                      median ratio, for a machine whose speed varies;
#                                      BENCH_PROXY_ENV="PROXY_WORKER_THREADS=1" or BENCH_PROXY_BIN=path
#                                      to vary the proxy; BENCH_FLOOR=1 also measures
#                                      proxy/examples/bare_proxy.rs, the same HTTP stack with no
#                                      checks, to show what the stack itself costs)
# Installs nginx and wrk from Debian if missing (idempotent; needs root or sudo for apt).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_SECONDS:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
TARGET="${BENCH_TARGET:-/billing/customer/v1/100200/customers/15615616}"
SANDBOX_PORT="${BENCH_SANDBOX_PORT:-18081}"
PROXY_PORT="${BENCH_PROXY_PORT:-18080}"
NGINX_PORT="${BENCH_NGINX_PORT:-18082}"
TOKEN="bench-token-$$"

. scripts/debian-packages.sh
ensure_debian_packages wrk nginx
if [[ " ${NEWLY_INSTALLED[*]} " == *" nginx "* ]]; then
  # Debian starts the packaged nginx on port 80; this benchmark runs its own.
  sudo_if_needed systemctl disable --now nginx >/dev/null 2>&1 || sudo_if_needed service nginx stop >/dev/null 2>&1 || true
fi

echo "=== building the sandbox and the proxy (profile service)"
cargo build --locked --profile service -p billing-sandbox -p billing-proxy 2>&1 | tail -1
FLOOR_PORT="${BENCH_FLOOR_PORT:-18083}"
[ "${BENCH_FLOOR:-0}" = 1 ] && cargo build --locked --profile service -p billing-proxy --example bare_proxy 2>&1 | tail -1

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

SANDBOX_TOKEN="$TOKEN" RUST_LOG=warn target/service/billing-sandbox --listen "127.0.0.1:$SANDBOX_PORT" >"$work/sandbox.log" 2>&1 & pids+=($!)
PROXY_TOKEN="$TOKEN" PROXY_OWNER_NO=100200 PROXY_ACCESS=trusted PROXY_RATE_LIMIT_PER_SECOND=0 RUST_LOG=warn env ${BENCH_PROXY_ENV:-} \
  "${BENCH_PROXY_BIN:-target/service/billing-proxy}" --listen "127.0.0.1:$PROXY_PORT" --admin-listen 127.0.0.1:0 \
  --upstream "http://127.0.0.1:$SANDBOX_PORT" --allow-insecure-upstream true \
  --static-dir "$work" >"$work/proxy.log" 2>&1 & proxy_pid=$!; pids+=($proxy_pid)

cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
$( [ "$(id -u)" -eq 0 ] && echo "user nobody nogroup;" )
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/body; proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
    upstream sandbox { server 127.0.0.1:$SANDBOX_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location /billing/ {
            proxy_pass http://sandbox;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "Bearer $TOKEN";
            proxy_set_header Cookie "";
            proxy_hide_header Set-Cookie;
        }
    }
}
NGINX
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf"
if [ "${BENCH_FLOOR:-0}" = 1 ]; then
  target/service/examples/bare_proxy "127.0.0.1:$FLOOR_PORT" "http://127.0.0.1:$SANDBOX_PORT" "$TOKEN" >"$work/floor.log" 2>&1 & floor_pid=$!; pids+=($floor_pid)
  floor_ports="$FLOOR_PORT"
fi

for port in "$SANDBOX_PORT" "$PROXY_PORT" "$NGINX_PORT" ${floor_ports:-}; do
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port$TARGET" -H "authorization: Bearer $TOKEN" && break; sleep 0.1; done
done
for port in "$PROXY_PORT" "$NGINX_PORT"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$TARGET")
  [ "$status" = 200 ] || { echo "port $port answers $status to $TARGET"; exit 1; }
done

rss_kib() { awk '/^VmRSS/ {s+=$2} END {print s+0}' "$@" 2>/dev/null; }
nginx_status_files() { for p in $(pgrep -f "nginx: (master|worker)" ); do [ -r "/proc/$p/status" ] && echo "/proc/$p/status"; done; }

# to_ms "1.23ms" | "456.00us" | "1.02s"
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'; }

run() { # name port -> prints "rps p50_ms p99_ms rss_kib"
  local name=$1 port=$2 out rss
  # Warm-up, then the measured run; RSS sampled in the middle of it.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "http://127.0.0.1:$port$TARGET" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port$TARGET" >"$work/$name.wrk" &
  local wrk_pid=$!
  sleep "$((DURATION / 2))"
  case $name in
    proxy) rss=$(rss_kib "/proc/$proxy_pid/status") ;;
    floor) rss=$(rss_kib "/proc/$floor_pid/status") ;;
    *) rss=$(rss_kib $(nginx_status_files)) ;;
  esac
  wait "$wrk_pid"
  out="$work/$name.wrk"
  if grep -q "Non-2xx" "$out"; then echo "$name answered errors:"; cat "$out"; exit 1; fi
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  echo "$rps $p50 $p99 $rss"
}

ROUNDS="${BENCH_ROUNDS:-1}"
mib() { awk -v k="$1" 'BEGIN{print k/1024}'; }
echo "=== GET $TARGET, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s) of nginx and the proxy, in turn ($(nproc) cores)"
printf '%-14s %12s %10s %10s %12s\n' "" "requests/s" "p50 ms" "p99 ms" "RSS MiB"
ratios=() p99_added=()
for round in $(seq "$ROUNDS"); do
  [ "$ROUNDS" -gt 1 ] && echo "round $round"
  # The order alternates between rounds, so that neither side always runs first.
  if [ $((round % 2)) -eq 1 ]; then
    read -r n_rps n_p50 n_p99 n_rss < <(run nginx "$NGINX_PORT")
    read -r p_rps p_p50 p_p99 p_rss < <(run proxy "$PROXY_PORT")
  else
    read -r p_rps p_p50 p_p99 p_rss < <(run proxy "$PROXY_PORT")
    read -r n_rps n_p50 n_p99 n_rss < <(run nginx "$NGINX_PORT")
  fi
  printf '%-14s %12.0f %10.3f %10.3f %12.1f\n' "nginx" "$n_rps" "$n_p50" "$n_p99" "$(mib "$n_rss")"
  printf '%-14s %12.0f %10.3f %10.3f %12.1f\n' "billing-proxy" "$p_rps" "$p_p50" "$p_p99" "$(mib "$p_rss")"
  if [ "${BENCH_FLOOR:-0}" = 1 ]; then
    read -r f_rps f_p50 f_p99 f_rss < <(run floor "$FLOOR_PORT")
    printf '%-14s %12.0f %10.3f %10.3f %12.1f   (bare stack: %.2f of nginx)\n' "bare_proxy" "$f_rps" "$f_p50" "$f_p99" "$(mib "$f_rss")" "$(awk -v f="$f_rps" -v n="$n_rps" 'BEGIN{print f/n}')"
  fi
  awk -v pr="$p_rps" -v nr="$n_rps" -v pp="$p_p99" -v np="$n_p99" -v p5="$p_p50" -v n5="$n_p50" 'BEGIN {
    printf "proxy/nginx throughput: %.2f (target >= 0.90)\n", pr / nr
    printf "proxy-nginx p50: %+.3f ms, p99: %+.3f ms (target p99 < +1 ms)\n", p5 - n5, pp - np
  }'
  ratios+=("$(awk -v pr="$p_rps" -v nr="$n_rps" 'BEGIN{printf "%.3f", pr / nr}')")
  p99_added+=("$(awk -v pp="$p_p99" -v np="$n_p99" 'BEGIN{printf "%.3f", pp - np}')")
done
if [ "$ROUNDS" -gt 1 ]; then
  # The median of the rounds: each round measures nginx and the proxy back to back, so a
  # slow stretch of the machine weighs on both sides of its ratio.
  median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
  echo "median of $ROUNDS rounds: proxy/nginx throughput $(median "${ratios[@]}") (rounds: ${ratios[*]}), added p99 $(median "${p99_added[@]}") ms (rounds: ${p99_added[*]})"
fi
echo "(nginx RSS is the master and its workers together; the sandbox shares the same 2 cores)"
