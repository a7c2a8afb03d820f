#!/usr/bin/env bash
# A 400 MB blob pushed and pulled through the gateway, against a plain copy of the same file on the same disk, with the
# peak RSS of the gateway and artifact-service while it streams (memory must stay flat: nothing is buffered whole).
#
# The gateway does not route the OCI API (/v2/) yet, so the gateway path is the suite API's one-call upload
# (POST /api/v1/artifacts, which the gateway streams with its 512M artifact body limit) and download
# (GET /api/v1/artifacts/<digest>/content): the same spool-while-hashing intake and the same streamed download as
# /v2/. The same blob is also pushed and pulled straight to the service over /v2/ (monolithic POST ?digest=, GET
# blobs/<digest>) to show what the gateway hop costs. ROUNDS rounds, alternating; medians.
#
#   bench/artifact-stream.sh            # SIZE_MB=400 ROUNDS=3 JIT=c1 (the launcher's options; JIT=c2 for full JIT)
#
# Needs: a JDK, curl, the gateway and artifact-service built (./mvnw -B -pl api-gateway,artifact-service -am package
# -DskipTests; built here if missing). Prints a markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-400}
ROUNDS=${ROUNDS:-3}
GATEWAY_PORT=${GATEWAY_PORT:-18580}
SERVICE_PORT=${SERVICE_PORT:-18585}
WORK=$(mktemp -d -p "${BENCH_DIR:-$PWD/target}" artifact-bench.XXXXXX)
PIDS=()
INTERNAL=bench-internal-token-0123456789abcdef
TOKEN=bench-admin-token-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
# the launcher's options by default; JIT=c2 drops -XX:TieredStopAtLevel=1, whose C1-only code has no SHA-256
# intrinsic (hashing 400 MB takes ~3 s with it, ~0.6 s without on this machine)
JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmx128m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m -Xss512k"
if [ "${JIT:-c1}" = c1 ]; then
    JAVA_OPTS="$JAVA_OPTS -XX:TieredStopAtLevel=1"
fi

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

for jar in api-gateway/target/quarkus-app/quarkus-run.jar artifact-service/target/quarkus-app/quarkus-run.jar; do
    if [ ! -f "$jar" ]; then
        flock /tmp/monkeytown-maven.lock ./mvnw -B -q -pl api-gateway,artifact-service -am package -DskipTests >&2
    fi
done

wait_for() { # url [header]
    for _ in $(seq 1 240); do
        curl -fs -o /dev/null ${2:+-H "$2"} "$1" && return 0
        sleep 0.5
    done
    echo "not up: $1" >&2
    return 1
}

MONKEYTOWN_INTERNAL_TOKEN=$INTERNAL java $JAVA_OPTS -Dquarkus.http.port=$SERVICE_PORT -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.management.port=$((SERVICE_PORT + 1000)) -Dmonkeytown.home="$WORK/home" \
    -Dmonkeytown.state.local-repository="$WORK/home/repo" -Dmonkeytown.artifacts.quota=20G \
    -Dquarkus.log.level=WARN -jar artifact-service/target/quarkus-app/quarkus-run.jar >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
PIDS+=($SERVICE_PID)
MONKEYTOWN_INTERNAL_TOKEN=$INTERNAL java $JAVA_OPTS -Dquarkus.http.port=$GATEWAY_PORT -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.management.port=$((GATEWAY_PORT + 1000)) \
    -Dmonkeytown.gateway.health.services.artifact-service.url="http://127.0.0.1:$SERVICE_PORT" \
    -Dmonkeytown.gateway.health.services.artifact-service.management-url="http://127.0.0.1:$((SERVICE_PORT + 1000))" \
    -Dmonkeytown.gateway.auth.tokens.bench.sha256="$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" \
    -Dmonkeytown.gateway.auth.tokens.bench.role=admin -Dmonkeytown.gateway.rate-limit.enabled=false \
    -Dquarkus.log.level=WARN -jar api-gateway/target/quarkus-app/quarkus-run.jar >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)
wait_for "http://127.0.0.1:$((SERVICE_PORT + 1000))/q/health/ready"
wait_for "http://127.0.0.1:$GATEWAY_PORT/api/v1/artifacts"

echo "making a $SIZE_MB MB blob of random bytes" >&2
head -c "${SIZE_MB}M" /dev/urandom >"$WORK/blob"
DIGEST="sha256:$(sha256sum "$WORK/blob" | cut -d' ' -f1)"
BYTES=$(stat -c %s "$WORK/blob")

# peak RSS (MB) of a pid while a command runs
PEAK_FILE="$WORK/peak"
sample_rss() { # pid...
    : >"$PEAK_FILE"
    while :; do
        for pid in "$@"; do echo "$pid $(ps -o rss= -p "$pid" 2>/dev/null || echo 0)"; done >>"$PEAK_FILE"
        sleep 0.1
    done
}
peak_of() { awk -v p="$1" '$1 == p && $2 > m {m = $2} END {printf "%d", m / 1024}' "$PEAK_FILE"; }

timed() { # seconds for a command, with fsync of the written file where there is one
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

AUTH=(-H "Authorization: Bearer $TOKEN")
SVC=(-H "X-Monkeytown-Internal-Token: $INTERNAL" -H "X-Monkeytown-User: bench" -H "X-Monkeytown-Role: admin")
for round in $(seq 1 "$ROUNDS"); do
    rm -f "$WORK/copy" "$WORK/out"
    t=$(timed sh -c "cp '$WORK/blob' '$WORK/copy' && sync '$WORK/copy'")
    echo "copy $round $t 0 0" >>"$WORK/results"
    rm -f "$WORK/copy"

    sample_rss "$GATEWAY_PID" "$SERVICE_PID" & SAMPLER=$!
    t=$(timed curl -fsS -X POST "${AUTH[@]}" -H "Content-Type: application/octet-stream" --data-binary "@$WORK/blob" \
        "http://127.0.0.1:$GATEWAY_PORT/api/v1/artifacts?repository=bench/r$round&artifactType=application/vnd.bench.blob&tag=t")
    kill $SAMPLER; wait $SAMPLER 2>/dev/null || true
    echo "push-gateway $round $t $(peak_of "$GATEWAY_PID") $(peak_of "$SERVICE_PID")" >>"$WORK/results"

    sample_rss "$GATEWAY_PID" "$SERVICE_PID" & SAMPLER=$!
    t=$(timed sh -c "curl -fsS ${AUTH[*]@Q} -o '$WORK/out' 'http://127.0.0.1:$GATEWAY_PORT/api/v1/artifacts/$DIGEST/content?repository=bench/r$round' && sync '$WORK/out'")
    kill $SAMPLER; wait $SAMPLER 2>/dev/null || true
    cmp -s "$WORK/blob" "$WORK/out" || { echo "pulled bytes differ" >&2; exit 1; }
    echo "pull-gateway $round $t $(peak_of "$GATEWAY_PID") $(peak_of "$SERVICE_PID")" >>"$WORK/results"
    rm -f "$WORK/out"

    sample_rss "$SERVICE_PID" & SAMPLER=$!
    t=$(timed curl -fsS -X POST "${SVC[@]}" -H "Content-Type: application/octet-stream" --data-binary "@$WORK/blob" \
        "http://127.0.0.1:$SERVICE_PORT/v2/bench/direct$round/blobs/uploads/?digest=$DIGEST")
    kill $SAMPLER; wait $SAMPLER 2>/dev/null || true
    echo "push-direct $round $t 0 $(peak_of "$SERVICE_PID")" >>"$WORK/results"

    sample_rss "$SERVICE_PID" & SAMPLER=$!
    t=$(timed sh -c "curl -fsS ${SVC[*]@Q} -o '$WORK/out' 'http://127.0.0.1:$SERVICE_PORT/v2/bench/direct$round/blobs/$DIGEST' && sync '$WORK/out'")
    kill $SAMPLER; wait $SAMPLER 2>/dev/null || true
    cmp -s "$WORK/blob" "$WORK/out" || { echo "pulled bytes differ (direct)" >&2; exit 1; }
    echo "pull-direct $round $t 0 $(peak_of "$SERVICE_PID")" >>"$WORK/results"
    rm -f "$WORK/out"
    echo "  round $round/$ROUNDS done" >&2
done

echo
echo "$SIZE_MB MB blob, $ROUNDS rounds, medians; $(nproc) CPUs; both JVMs: $JAVA_OPTS"
python3 - "$WORK/results" "$BYTES" <<'PY'
import statistics, sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    kind, _, seconds, gw, svc = line.split()
    rows[kind].append((float(seconds), int(gw), int(svc)))
size = int(sys.argv[2]) / 1e6
copy = statistics.median(r[0] for r in rows["copy"])
print("| path | time (s) | MB/s | vs plain copy | peak RSS gateway (MB) | peak RSS service (MB) |")
print("|---|---:|---:|---:|---:|---:|")
names = {"copy": "plain `cp` + `sync`, same disk", "push-gateway": "push through the gateway (`POST /api/v1/artifacts`)",
         "pull-gateway": "pull through the gateway (`GET .../content`)", "push-direct": "push to the service (`POST /v2/...?digest=`)",
         "pull-direct": "pull from the service (`GET /v2/.../blobs/<digest>`)"}
for kind in ["copy", "push-gateway", "pull-gateway", "push-direct", "pull-direct"]:
    t = statistics.median(r[0] for r in rows[kind])
    gw = max(r[1] for r in rows[kind]) if kind.endswith("gateway") else "–"
    svc = max(r[2] for r in rows[kind]) if kind != "copy" else "–"
    print(f"| {names[kind]} | {t:.2f} | {size / t:.0f} | {copy / t:.2f} | {gw} | {svc} |")
PY
