#!/usr/bin/env bash
# Proxied vs direct: throughput and p50/p99 latency of GET /api/v1/agents through the gateway against the same backend
# endpoint, side by side in one run, with the rate limiter off and on (very high limits, so it counts but never
# refuses). Full load (closed loop, CONNECTIONS concurrent) and a fixed rate at half of the proxied maximum.
#
#   bench/gateway-proxy.sh            # DURATION=15s WARMUP=30s CONNECTIONS=64 by default
#
# Needs: a JDK, the gateway built (./mvnw -B -pl api-gateway -am package -DskipTests; built here if missing), and
# `hey` (installed with apt-get if missing). Prints a markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
BACKEND_PORT=${BACKEND_PORT:-18382}
GATEWAY_PORT=${GATEWAY_PORT:-18380}
WORK=$(mktemp -d)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v hey >/dev/null; then
    echo "installing hey..." >&2
    (apt-get install -y -qq hey >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hey; }) >&2
fi
JAR=api-gateway/target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ]; then
    ./mvnw -B -q -pl api-gateway -am package -DskipTests >&2
fi

wait_for() { # url
    for _ in $(seq 1 120); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.5
    done
    echo "not up: $1" >&2
    return 1
}

# TCP_NODELAY: without it the JDK server's small answers wait out delayed ACKs (~40 ms each)
java -Dsun.net.httpserver.nodelay=true api-gateway/src/test/java/dev/monkeytown/gateway/bench/BenchBackend.java "$BACKEND_PORT" >"$WORK/backend.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$BACKEND_PORT/api/v1/agents"

GATEWAY_PID=""
start_gateway() { # extra -D flags...
    java -Xmx512m -Dquarkus.http.port="$GATEWAY_PORT" -Dquarkus.http.host=127.0.0.1 \
        -Dmonkeytown.internal.token=bench-internal-token-0123456789abcdef \
        -Dmonkeytown.gateway.health.services.agent-dispatcher.url="http://127.0.0.1:$BACKEND_PORT" \
        -Dquarkus.log.level=WARN "$@" -jar "$JAR" >"$WORK/gateway.log" 2>&1 &
    GATEWAY_PID=$!
    PIDS+=("$GATEWAY_PID")
    wait_for "http://127.0.0.1:$GATEWAY_PORT/q/health/live"
}
stop_gateway() {
    kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
}

# hey summary -> "rps p50_ms p99_ms"
measure() { # url [rate per connection]
    local out
    if [ -n "${2:-}" ]; then
        out=$(hey -z "$DURATION" -c "$CONNECTIONS" -q "$2" "$1")
    else
        out=$(hey -z "$DURATION" -c "$CONNECTIONS" "$1")
    fi
    local codes
    codes=$(sed -n '/Status code distribution/,$p' <<<"$out" | grep -oE '\[[0-9]{3}\]' | sort -u | tr -d '\n')
    if [ "$codes" != "[200]" ]; then
        echo "answers other than 200 from $1: $codes" >&2
    fi
    awk '/Requests\/sec/ {rps=$2} /  50% in/ {p50=$3*1000} /  99% in/ {p99=$3*1000} END {printf "%.0f %.2f %.2f\n", rps, p50, p99}' <<<"$out"
}
# a fresh gateway JVM needs a while of traffic before C2 has compiled the hot path (measured: 5 s is far too little
# on 2 CPUs shared with hey and the backend)
warm() { hey -z "$WARMUP" -c "$CONNECTIONS" "$1" >/dev/null; }

DIRECT="http://127.0.0.1:$BACKEND_PORT/api/v1/agents"
PROXIED="http://127.0.0.1:$GATEWAY_PORT/api/v1/agents"
declare -A R

warm "$DIRECT"
R[direct_full]=$(measure "$DIRECT")

start_gateway -Dmonkeytown.gateway.rate-limit.enabled=false
warm "$PROXIED"
R[off_full]=$(measure "$PROXIED")
stop_gateway

start_gateway -Dmonkeytown.gateway.rate-limit.enabled=true \
    -Dmonkeytown.gateway.rate-limit.global-per-minute=100000000 \
    -Dmonkeytown.gateway.rate-limit.per-ip-per-minute=100000000 \
    -Dmonkeytown.gateway.rate-limit.per-user-per-minute=100000000
warm "$PROXIED"
R[on_full]=$(measure "$PROXIED")

# half of the proxied maximum (limiter off), as a fixed rate spread over the connections
HALF=$(( $(cut -d' ' -f1 <<<"${R[off_full]}") / 2 ))
PER_CONN=$(( HALF / CONNECTIONS > 0 ? HALF / CONNECTIONS : 1 ))
R[on_half]=$(measure "$PROXIED" "$PER_CONN")
stop_gateway

start_gateway -Dmonkeytown.gateway.rate-limit.enabled=false
warm "$PROXIED"
R[off_half]=$(measure "$PROXIED" "$PER_CONN")
stop_gateway
R[direct_half]=$(measure "$DIRECT" "$PER_CONN")

f() { cut -d' ' -f"$2" <<<"${R[$1]}"; }
echo
echo "GET /api/v1/agents, $CONNECTIONS connections, $DURATION per row, $(nproc) CPUs, hey; half load = $((PER_CONN * CONNECTIONS)) req/s"
echo
echo "| path | load | req/s | p50 ms | p99 ms |"
echo "|---|---|---:|---:|---:|"
for row in "direct full direct_full" "gateway, limiter off full off_full" "gateway, limiter on full on_full" \
    "direct half direct_half" "gateway, limiter off half off_half" "gateway, limiter on half on_half"; do
    key=${row##* }; rest=${row% *}; load=${rest##* }; name=${rest% *}
    echo "| $name | $load | $(f "$key" 1) | $(f "$key" 2) | $(f "$key" 3) |"
done
echo
awk -v d="$(f direct_full 1)" -v off="$(f off_full 1)" -v on="$(f on_full 1)" \
    -v dp="$(f direct_half 3)" -v op="$(f off_half 3)" -v np="$(f on_half 3)" 'BEGIN {
    printf "- proxied / direct throughput (limiter off): %.0f %% (target >= 50 %%)\n", 100 * off / d
    printf "- p99 added by the gateway at half load (limiter off): %.2f ms (target <= 2 ms)\n", op - dp
    printf "- limiter cost: %.1f %% throughput at full load (target <= 5 %%), p99 at half load %+.2f ms\n", 100 * (off - on) / off, np - op
}'
