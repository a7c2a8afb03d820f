#!/usr/bin/env bash
# Proxied vs direct: throughput and p50/p99 latency of GET /api/v1/agents through the gateway against the same backend
# endpoint, with the rate limiter off and on (very high limits, so it counts but never refuses), and through nginx as a
# reference proxy. Full load (closed loop, CONNECTIONS concurrent) and a fixed rate at half of the proxied maximum; then
# the CPU time each proxy spends per request at a fixed RATE, from /proc/<pid>/stat.
#
# Side by side in one run: the backend, two gateways (limiter off, limiter on) and nginx run at the same time, and
# ROUNDS rounds each measure every path back to back (the order rotates per round). The verdicts use the median of the
# per-round ratios and differences, so drift of this shared machine hits all paths alike.
#
# nginx (Debian nginx-light): one worker, proxy_pass to the same backend over an upstream keep-alive pool, no access log.
# It does less than the gateway (no auth, no rate limit, no header rewriting beyond the proxy's own), so it is the
# floor a proxy on this machine can reach, not a like-for-like rival.
#
# With PIN=1 (default on 2+ CPUs) hey and the backend share CPU 0 and the proxies (both gateways and nginx) get CPU 1,
# as a gateway has its own pod in production: the proxied rows then show what the hop costs rather than a third process
# competing for the same two cores. PIN=0 lets every process use every CPU.
#
#   bench/gateway-proxy.sh            # ROUNDS=5 DURATION=5s WARMUP=30s CONNECTIONS=64 PIN=1 RATE=2000 CPU_DURATION=20s
#   JAR=/path/to/quarkus-run.jar bench/gateway-proxy.sh     # another build of the gateway
#
# Needs: a JDK, the gateway built (./mvnw -B -pl api-gateway -am package -DskipTests; built here if missing), `hey`
# and nginx-light (both installed with apt-get if missing). Prints markdown tables for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
PIN=${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}
BACKEND_PORT=${BACKEND_PORT:-18382}
OFF_PORT=${OFF_PORT:-18380}
ON_PORT=${ON_PORT:-18381}
NGINX_PORT=${NGINX_PORT:-18383}
RATE=${RATE:-2000}
CPU_DURATION=${CPU_DURATION:-20s}
WORK=$(mktemp -d)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

install() { # package
    echo "installing $1..." >&2
    (apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1"; }) >&2
}
command -v hey >/dev/null || install hey
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || install nginx-light
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
JAR=${JAR:-api-gateway/target/quarkus-app/quarkus-run.jar}
if [ ! -f "$JAR" ]; then
    ./mvnw -B -q -pl api-gateway -am package -DskipTests >&2
fi

if [ "$PIN" = 1 ]; then
    CLIENT_CPUS=(taskset -c 0)
    GATEWAY_CPUS=(taskset -c 1)
else
    CLIENT_CPUS=()
    GATEWAY_CPUS=()
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
"${CLIENT_CPUS[@]}" java -Dsun.net.httpserver.nodelay=true \
    api-gateway/src/test/java/dev/monkeytown/gateway/bench/BenchBackend.java "$BACKEND_PORT" >"$WORK/backend.log" 2>&1 &
PIDS+=($!)

start_gateway() { # port, extra -D flags...
    local port=$1
    shift
    "${GATEWAY_CPUS[@]}" java -Xmx512m -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
        -Dquarkus.management.port=$((port + 1000)) \
        -Dmonkeytown.internal.token=bench-internal-token-0123456789abcdef \
        -Dmonkeytown.gateway.health.services.agent-dispatcher.url="http://127.0.0.1:$BACKEND_PORT" \
        -Dmonkeytown.gateway.health.services.agent-dispatcher.management-url="http://127.0.0.1:$BACKEND_PORT" \
        -Dquarkus.log.level=WARN "$@" -jar "$JAR" >"$WORK/gateway-$port.log" 2>&1 &
    PIDS+=($!)
    GATEWAY_PIDS+=($!)
}
GATEWAY_PIDS=()
start_gateway "$OFF_PORT" -Dmonkeytown.gateway.rate-limit.enabled=false
start_gateway "$ON_PORT" -Dmonkeytown.gateway.rate-limit.enabled=true \
    -Dmonkeytown.gateway.rate-limit.global-per-minute=1000000000 \
    -Dmonkeytown.gateway.rate-limit.per-ip-per-minute=1000000000 \
    -Dmonkeytown.gateway.rate-limit.per-user-per-minute=1000000000

mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream backend {
        server 127.0.0.1:$BACKEND_PORT;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
"${GATEWAY_CPUS[@]}" "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/stdout.log" 2>&1 &
PIDS+=($!)
NGINX_MASTER=$!

declare -A URL=(
    [direct]="http://127.0.0.1:$BACKEND_PORT/api/v1/agents"
    [off]="http://127.0.0.1:$OFF_PORT/api/v1/agents"
    [on]="http://127.0.0.1:$ON_PORT/api/v1/agents"
    [nginx]="http://127.0.0.1:$NGINX_PORT/api/v1/agents")
PATHS="direct off on nginx"
for path in $PATHS; do
    wait_for "${URL[$path]}"
done
declare -A CPU_PIDS=(
    [off]="${GATEWAY_PIDS[0]}"
    [on]="${GATEWAY_PIDS[1]}"
    [nginx]="$NGINX_MASTER $(pgrep -P "$NGINX_MASTER" | tr '\n' ' ')")

# hey summary -> "rps p50_ms p99_ms"
measure() { # url duration [rate per connection]
    local out codes
    if [ -n "${3:-}" ]; then
        out=$("${CLIENT_CPUS[@]}" hey -z "$2" -c "$CONNECTIONS" -q "$3" "$1")
    else
        out=$("${CLIENT_CPUS[@]}" hey -z "$2" -c "$CONNECTIONS" "$1")
    fi
    codes=$(sed -n '/Status code distribution/,$p' <<<"$out" | grep -oE '\[[0-9]{3}\]' | sort -u | tr -d '\n')
    if [ "$codes" != "[200]" ]; then
        echo "answers other than 200 from $1: $codes" >&2
    fi
    awk '/Requests\/sec/ {rps=$2} /  50% in/ {p50=$3*1000} /  99% in/ {p99=$3*1000} END {printf "%.0f %.2f %.2f\n", rps, p50, p99}' <<<"$out"
}

# a fresh JVM needs a while of traffic before C2 has compiled the hot path (5 s is far too little here)
echo "warming up: $WARMUP per path" >&2
for path in $PATHS; do
    measure "${URL[$path]}" "$WARMUP" >/dev/null
done

ORDERS=("direct off on nginx" "off on nginx direct" "on nginx direct off" "nginx direct off on")
run_rounds() { # load name, [rate per connection]
    local round order path
    for round in $(seq 1 "$ROUNDS"); do
        order=${ORDERS[$(((round - 1) % 4))]}
        for path in $order; do
            echo "$1 $round $path $(measure "${URL[$path]}" "$DURATION" "${2:-}")" >>"$WORK/results"
        done
        echo "  $1 round $round/$ROUNDS done" >&2
    done
}
run_rounds full
# half of the median proxied maximum (limiter off), as a fixed rate spread over the connections
HALF=$(awk '$1 == "full" && $3 == "off" {print $4}' "$WORK/results" | sort -n | awk '{a[NR]=$1} END {print int(a[int((NR+1)/2)] / 2)}')
PER_CONN=$((HALF / CONNECTIONS > 0 ? HALF / CONNECTIONS : 1))
run_rounds half "$PER_CONN"

# CPU per proxied request at a fixed rate: user + system ticks of every process of the proxy (the JVM's GC, JIT and
# timer threads included), before and after, over the 200s hey counted. Idle CPU is measured too, and not subtracted.
TICK_US=$((1000000 / $(getconf CLK_TCK)))
ticks() { # pids... -> "user system"
    local pid user=0 system=0
    for pid in "$@"; do
        read -r u s < <(awk '{print $14, $15}' "/proc/$pid/stat")
        user=$((user + u))
        system=$((system + s))
    done
    echo "$user $system"
}
CPU_PER_CONN=$((RATE / CONNECTIONS > 0 ? RATE / CONNECTIONS : 1))
CPU_ORDERS=("off on nginx" "on nginx off" "nginx off on")
for round in $(seq 1 "$ROUNDS"); do
    for path in ${CPU_ORDERS[$(((round - 1) % 3))]}; do
        # shellcheck disable=SC2086 # several pids for nginx
        read -r idle_user idle_system < <(ticks ${CPU_PIDS[$path]})
        sleep 5
        # shellcheck disable=SC2086
        read -r user system < <(ticks ${CPU_PIDS[$path]})
        idle=$((user + system - idle_user - idle_system))
        out=$("${CLIENT_CPUS[@]}" hey -z "$CPU_DURATION" -c "$CONNECTIONS" -q "$CPU_PER_CONN" "${URL[$path]}")
        # shellcheck disable=SC2086
        read -r user_after system_after < <(ticks ${CPU_PIDS[$path]})
        ok=$(sed -n 's/.*\[200\][[:space:]]*\([0-9]*\) responses.*/\1/p' <<<"$out")
        echo "cpu $round $path $((user_after - user)) $((system_after - system)) ${ok:-0} $idle" >>"$WORK/results"
    done
    echo "  cpu round $round/$ROUNDS done" >&2
done

echo
echo "GET /api/v1/agents, $CONNECTIONS connections, $ROUNDS rounds of $DURATION per path and load, $(nproc) CPUs," \
    "PIN=$PIN, hey; half load = $((PER_CONN * CONNECTIONS)) req/s; CPU at $((CPU_PER_CONN * CONNECTIONS)) req/s" \
    "for $CPU_DURATION; load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/results" "$TICK_US" "$CPU_DURATION" <<'EOF'
import statistics, sys
from collections import defaultdict

rows = defaultdict(dict)  # (load, round) -> path -> (rps, p50, p99)
cpu = defaultdict(list)   # path -> [(us per request, user us per request, system us per request, idle ticks)]
tick_us = int(sys.argv[2])
for line in open(sys.argv[1]):
    fields = line.split()
    if fields[0] == "cpu":
        _, rnd, path, user, system, ok, idle = fields
        if int(ok) > 0:
            n = int(ok)
            cpu[path].append(((int(user) + int(system)) * tick_us / n, int(user) * tick_us / n,
                              int(system) * tick_us / n, int(idle)))
        continue
    load, rnd, path, rps, p50, p99 = fields
    rows[(load, int(rnd))][path] = (float(rps), float(p50), float(p99))

def med(values):
    return statistics.median(values)

names = {"direct": "direct", "off": "gateway, limiter off", "on": "gateway, limiter on", "nginx": "nginx"}
print()
print("| path | load | req/s (median) | p50 ms (median) | p99 ms (median) | p99 ms (min – max) |")
print("|---|---|---:|---:|---:|---:|")
for load in ("full", "half"):
    rounds = [r for (l, _), r in sorted(rows.items()) if l == load]
    for path in ("direct", "off", "on", "nginx"):
        rps = [r[path][0] for r in rounds]
        p50 = [r[path][1] for r in rounds]
        p99 = [r[path][2] for r in rounds]
        print(f"| {names[path]} | {load} | {med(rps):.0f} | {med(p50):.2f} | {med(p99):.2f} | {min(p99):.2f} – {max(p99):.2f} |")

full = [r for (l, _), r in sorted(rows.items()) if l == "full"]
half = [r for (l, _), r in sorted(rows.items()) if l == "half"]
ratio = [r["off"][0] / r["direct"][0] for r in full]
added = [r["off"][2] - r["direct"][2] for r in half]
cost = [(r["off"][0] - r["on"][0]) / r["off"][0] for r in full]
cost_p99 = [r["on"][2] - r["off"][2] for r in half]
print()
print(f"- proxied / direct throughput (limiter off): median {100 * med(ratio):.0f} % "
      f"(rounds: {', '.join(f'{100 * x:.0f}' for x in ratio)}; target >= 50 %)")
print(f"- p99 added by the gateway at half load (limiter off): median {med(added):+.2f} ms "
      f"(rounds: {', '.join(f'{x:+.1f}' for x in added)}; target <= 2 ms)")
print(f"- limiter cost at full load: median {100 * med(cost):.1f} % throughput "
      f"(rounds: {', '.join(f'{100 * x:.1f}' for x in cost)}; target <= 5 %); "
      f"p99 at half load median {med(cost_p99):+.2f} ms")
nginx_ratio = [r["nginx"][0] / r["direct"][0] for r in full]
print(f"- nginx / direct throughput: median {100 * med(nginx_ratio):.0f} % "
      f"(rounds: {', '.join(f'{100 * x:.0f}' for x in nginx_ratio)})")

print()
print(f"CPU time per proxied request at a fixed rate (user + system, all threads, {sys.argv[3]} per round):")
print()
print("| proxy | µs CPU / request (median) | min – max | of which user / system (median) | idle CPU, ms per 5 s |")
print("|---|---:|---:|---:|---:|")
for path in ("off", "on", "nginx"):
    per = [c[0] for c in cpu[path]]
    if per:
        user = med([c[1] for c in cpu[path]])
        system = med([c[2] for c in cpu[path]])
        idle = med([c[3] * tick_us / 1000 for c in cpu[path]])
        print(f"| {names[path]} | {med(per):.1f} | {min(per):.1f} – {max(per):.1f} | {user:.1f} / {system:.1f} | {idle:.0f} |")
EOF
