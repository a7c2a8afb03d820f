#!/usr/bin/env bash
# Time from launch to ready, and idle RSS, of each service started alone — with the launcher's JVM options and with
# the JVM's defaults, side by side in one run so a busy machine skews both columns alike.
#
#   bench/startup.sh [rounds]        (default 3 rounds; needs the services built: ./mvnw -DskipTests package)
#
# "ready" = the first 200 from /q/health/ready (on the management port), polled every 20 ms from the moment java is exec'd.
# "RSS" = ps -o rss of the process after it has been idle for 5 s following ready.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${1:-3}
PORT=18990
SERVICES=(api-gateway websocket-service agent-dispatcher build-service deploy-service artifact-service)
LAUNCHER_OPTS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$ROOT/monkeytown")
TOKEN=bench-internal-token-0123456789abcdef

measure() { # service, options -> "ms rss_kb"
  local svc=$1 opts=$2 start ready pid rss
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  MONKEYTOWN_INTERNAL_TOKEN=$TOKEN java $opts -Dquarkus.http.port=$PORT -Dquarkus.management.port=$((PORT + 1000)) -jar "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" \
    >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://localhost:$((PORT + 1000))/q/health/ready" 2>/dev/null; do sleep 0.02; done
  ready=$(date +%s%N)
  sleep 5
  rss=$(ps -o rss= -p "$pid" | tr -d ' ')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (ready - start) / 1000000 )) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '| service | ready, launcher opts (ms) | ready, JVM defaults (ms) | RSS idle, launcher opts (MB) | RSS idle, JVM defaults (MB) |\n'
printf '|---|---:|---:|---:|---:|\n'
for svc in "${SERVICES[@]}"; do
  a_ms=(); a_rss=(); b_ms=(); b_rss=()
  for _ in $(seq "$ROUNDS"); do
    read -r ms rss < <(measure "$svc" "$LAUNCHER_OPTS"); a_ms+=("$ms"); a_rss+=("$rss")
    read -r ms rss < <(measure "$svc" ""); b_ms+=("$ms"); b_rss+=("$rss")
  done
  printf '| %s | %s | %s | %s | %s |\n' "$svc" \
    "$(printf '%s\n' "${a_ms[@]}" | median)" "$(printf '%s\n' "${b_ms[@]}" | median)" \
    "$(( $(printf '%s\n' "${a_rss[@]}" | median) / 1024 ))" "$(( $(printf '%s\n' "${b_rss[@]}" | median) / 1024 ))"
done
