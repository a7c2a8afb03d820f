#!/usr/bin/env bash
# Time from launch to ready, and idle RSS, of each service started alone — with the launcher's JVM options and with
# the JVM's defaults on the java on PATH, and (when ./monkeytown finds a JDK 25 and has trained the caches: run
# ./monkeytown build or up once) on that JDK with the service's AOT cache and the launcher's options, side by side in
# one run so a busy machine skews every column alike.
#
#   bench/startup.sh [rounds] [service...]   (default 3 rounds, all six; needs the services built)
#
# "ready" = the first 200 from /q/health/ready (on the management port), polled every 20 ms from the moment java is exec'd.
# "RSS" = ps -o rss of the process after it has been idle for 5 s following ready.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${1:-3}
PORT=18990
SERVICES=(api-gateway websocket-service agent-dispatcher build-service deploy-service artifact-service)
if [ $# -gt 1 ]; then SERVICES=("${@:2}"); fi
LAUNCHER_OPTS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$ROOT/monkeytown")
TOKEN=bench-internal-token-0123456789abcdef
# what the launcher would run: "Java 25: <java>", then "<service> ready <cache>" per trained cache
JVM=$("$ROOT/monkeytown" jvm)
JAVA25=$(sed -n 's/^Java \(2[5-9]\|[3-9][0-9]\): //p' <<<"$JVM")
aot_cache() { awk -v s="$1" '$1 == s && $2 == "ready" {print $3}' <<<"$JVM"; }

measure() { # service, java, options -> "ms rss_kb"
  local svc=$1 java=$2 opts=$3 start ready pid rss
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  MONKEYTOWN_INTERNAL_TOKEN=$TOKEN "$java" $opts -Dquarkus.http.port=$PORT -Dquarkus.management.port=$((PORT + 1000)) -jar "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" \
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

printf '| service | ready, launcher opts (ms) | ready, JVM defaults (ms) | ready, JDK 25 + AOT cache, launcher opts (ms) | RSS idle, launcher opts (MB) | RSS idle, JVM defaults (MB) | RSS idle, JDK 25 + AOT cache (MB) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for svc in "${SERVICES[@]}"; do
  a_ms=(); a_rss=(); b_ms=(); b_rss=(); c_ms=(); c_rss=()
  cache=$(aot_cache "$svc")
  for _ in $(seq "$ROUNDS"); do
    read -r ms rss < <(measure "$svc" java "$LAUNCHER_OPTS"); a_ms+=("$ms"); a_rss+=("$rss")
    read -r ms rss < <(measure "$svc" java ""); b_ms+=("$ms"); b_rss+=("$rss")
    if [ -n "$JAVA25" ] && [ -n "$cache" ]; then
      read -r ms rss < <(measure "$svc" "$JAVA25" "-XX:AOTCache=$cache $LAUNCHER_OPTS"); c_ms+=("$ms"); c_rss+=("$rss")
    fi
  done
  c="- | -"
  if [ ${#c_ms[@]} -gt 0 ]; then
    c="$(printf '%s\n' "${c_ms[@]}" | median) | $(( $(printf '%s\n' "${c_rss[@]}" | median) / 1024 ))"
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$svc" \
    "$(printf '%s\n' "${a_ms[@]}" | median)" "$(printf '%s\n' "${b_ms[@]}" | median)" "${c% | *}" \
    "$(( $(printf '%s\n' "${a_rss[@]}" | median) / 1024 ))" "$(( $(printf '%s\n' "${b_rss[@]}" | median) / 1024 ))" "${c#* | }"
done
