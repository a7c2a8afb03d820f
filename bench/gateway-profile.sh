#!/usr/bin/env bash
# Where the gateway's CPU goes per proxied request: one gateway (limiter on, as deployed) on CPU 1, the backend and hey
# on CPU 0 as in gateway-proxy.sh, a warm-up, then twice RATE req/s of GET /api/v1/agents for DURATION:
#  - first the CPU ticks of every JVM thread are read from /proc/<pid>/task/*/stat before and after (µs per request, by
#    thread: event loops, GC, JIT compiler, timers);
#  - then a JFR profile is recorded (bench/cpu-samples.jfc: execution samples every ms; summed by method, by class and
#    by package with bench/jfr-top.py). The per-thread figures come from the first run, without JFR running.
#
#   bench/gateway-profile.sh            # RATE=2000 DURATION=30s WARMUP=60s CONNECTIONS=64
#   JAR=/path/to/quarkus-run.jar bench/gateway-profile.sh
#
# Needs what gateway-proxy.sh needs. Leaves the recording in $OUT (default /tmp/gateway-profile).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-2000}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-60s}
CONNECTIONS=${CONNECTIONS:-64}
BACKEND_PORT=${BACKEND_PORT:-18392}
PORT=${PORT:-18390}
JAR=${JAR:-api-gateway/target/quarkus-app/quarkus-run.jar}
OUT=${OUT:-/tmp/gateway-profile}
mkdir -p "$OUT"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

taskset -c 0 java -Dsun.net.httpserver.nodelay=true \
    api-gateway/src/test/java/dev/monkeytown/gateway/bench/BenchBackend.java "$BACKEND_PORT" >"$OUT/backend.log" 2>&1 &
PIDS+=($!)
taskset -c 1 java -Xmx512m -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.management.port=$((PORT + 1000)) \
    -Dmonkeytown.internal.token=bench-internal-token-0123456789abcdef \
    -Dmonkeytown.gateway.health.services.agent-dispatcher.url="http://127.0.0.1:$BACKEND_PORT" \
    -Dmonkeytown.gateway.health.services.agent-dispatcher.management-url="http://127.0.0.1:$BACKEND_PORT" \
    -Dmonkeytown.gateway.rate-limit.global-per-minute=1000000000 \
    -Dmonkeytown.gateway.rate-limit.per-ip-per-minute=1000000000 \
    -Dquarkus.log.level=WARN -jar "$JAR" >"$OUT/gateway.log" 2>&1 &
GATEWAY=$!
PIDS+=($GATEWAY)
URL="http://127.0.0.1:$PORT/api/v1/agents"
for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$URL" && break
    sleep 0.5
done

PER_CONN=$((RATE / CONNECTIONS > 0 ? RATE / CONNECTIONS : 1))
taskset -c 0 hey -z "$WARMUP" -c "$CONNECTIONS" -q "$PER_CONN" "$URL" >/dev/null

threads() { # -> "tid name user-ticks system-ticks" per thread
    for task in /proc/"$GATEWAY"/task/*; do
        echo "$(basename "$task") $(tr ' ' '_' <"$task/comm") $(awk '{print $14, $15}' "$task/stat")"
    done
}
threads >"$OUT/before"
out=$(taskset -c 0 hey -z "$DURATION" -c "$CONNECTIONS" -q "$PER_CONN" "$URL")
threads >"$OUT/after"
ok=$(sed -n 's/.*\[200\][[:space:]]*\([0-9]*\) responses.*/\1/p' <<<"$out")

python3 - "$OUT/before" "$OUT/after" "$ok" "$(getconf CLK_TCK)" <<'EOF'
import re, sys
from collections import defaultdict
before = {l.split()[0]: (int(l.split()[2]), int(l.split()[3])) for l in open(sys.argv[1])}
groups = defaultdict(lambda: [0, 0])
for line in open(sys.argv[2]):
    tid, name, user, system = line.split()
    was = before.get(tid, (0, 0))
    group = groups[re.sub(r"[-_ #]*\d+$", "", name)]
    group[0] += int(user) - was[0]
    group[1] += int(system) - was[1]
ok, hz = int(sys.argv[3]), int(sys.argv[4])
us = lambda ticks: ticks * 1e6 / hz / ok
total = sum(u + s for u, s in groups.values())
print(f"{ok} requests; {us(total):.1f} µs CPU per request "
      f"({us(sum(u for u, _ in groups.values())):.1f} user, {us(sum(s for _, s in groups.values())):.1f} system)")
print("| thread group | µs / request | user / system | share |")
print("|---|---:|---:|---:|")
for name, (user, system) in sorted(groups.items(), key=lambda kv: -sum(kv[1])):
    if user + system:
        print(f"| {name} | {us(user + system):.1f} | {us(user):.1f} / {us(system):.1f} | "
              f"{100 * (user + system) / total:.0f} % |")
EOF
jcmd "$GATEWAY" JFR.start name=profile settings="$PWD/bench/cpu-samples.jfc" filename="$OUT/gateway.jfr" >/dev/null
taskset -c 0 hey -z "$DURATION" -c "$CONNECTIONS" -q "$PER_CONN" "$URL" >/dev/null
jcmd "$GATEWAY" JFR.stop name=profile >/dev/null
jfr print --stack-depth 128 --events jdk.ExecutionSample "$OUT/gateway.jfr" >"$OUT/samples.txt"
python3 bench/jfr-top.py "$OUT/samples.txt" \
    dev.monkeytown,io.smallrye.faulttolerance,io.micrometer,io.quarkus.micrometer,com.github.benmanes,io.github.bucket4j,io.netty,io.vertx.core.http,io.vertx.ext.web \
    >"$OUT/profile.txt"
echo "profile: $OUT/profile.txt"
