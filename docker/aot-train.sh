#!/bin/sh
# The AOT cache's training run, shared by docker/Dockerfile and the launcher (./monkeytown): start the service from
# $MONKEYTOWN_APP_DIR (/deployments) with -XX:AOTCacheOutput, wait until it is ready, make the requests a real
# start-up makes (probes, metrics, OpenAPI, an internal call, a public 404), then stop it with SIGTERM so the JVM
# writes the cache as it exits.
# The service runs in the prod profile against a throwaway local state repository: no network, no secret, nothing of
# the user's data.
#
# Environment: MONKEYTOWN_APP_DIR (the quarkus-app directory, default /deployments), MONKEYTOWN_AOT_CACHE (the cache
# to write, default $MONKEYTOWN_APP_DIR/app.aot), JAVA (the java to train, default the one on PATH: the cache belongs
# to exactly that JVM), JAVA_OPTS (the options the service will run with: train with those), QUARKUS_HTTP_PORT and
# QUARKUS_MANAGEMENT_PORT (default 8080 and 9000).
set -eu

app=${MONKEYTOWN_APP_DIR:-/deployments}
cache=${MONKEYTOWN_AOT_CACHE:-$app/app.aot}
java=${JAVA:-java}
home=$(mktemp -d)
token=aot-training-only-internal-token-$$
management=http://127.0.0.1:${QUARKUS_MANAGEMENT_PORT:-9000}
public=http://127.0.0.1:${QUARKUS_HTTP_PORT:-8080}
pid=""

# Whatever ends this script (an error, Ctrl-C, the launcher giving up) ends the training JVM and removes its home.
stop_training() {
  if [ -n "$pid" ]; then
    # at exit the JVM assembles the cache in a child JVM of its own: end that one first
    if command -v pkill >/dev/null; then pkill -KILL -P "$pid" 2>/dev/null || true; fi
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$cache" "$cache.config" # a cache cut short, and what the JVM had recorded so far
  fi
  rm -rf "$home"
}
trap stop_training EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# HOME and user.home too: JGit reads the user's Git configuration from there (signing, hooks), and nothing may be
# written to the real one.
# shellcheck disable=SC2086 # JAVA_OPTS is a word list on purpose
HOME=$home MONKEYTOWN_HOME=$home MONKEYTOWN_INTERNAL_TOKEN=$token MONKEYTOWN_STATE_BACKEND=local \
  "$java" -XX:AOTCacheOutput="$cache" ${JAVA_OPTS:-} -Duser.home="$home" -jar "$app/quarkus-run.jar" \
  >"$home/training.log" 2>&1 &
pid=$!

ready=""
i=0
while [ $i -lt 600 ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "aot-train: the service exited during the training run:" >&2
    tail -n 40 "$home/training.log" >&2
    exit 1
  fi
  if curl -fs -o /dev/null --max-time 2 "$management/q/health/ready" 2>/dev/null; then ready=1; break; fi
  sleep 0.2
  i=$((i + 1))
done
if [ -z "$ready" ]; then
  echo "aot-train: not ready after 120 s" >&2
  tail -n 40 "$home/training.log" >&2
  exit 1
fi

for round in 1 2 3; do
  for path in /q/health/started /q/health/live /q/health/ready /q/metrics /q/openapi; do
    curl -fsS -o /dev/null --max-time 5 "$management$path" || true
  done
  curl -sS -o /dev/null --max-time 5 -H "X-Monkeytown-Internal-Token: $token" "$public/internal/info" || true
  curl -sS -o /dev/null --max-time 5 "$public/api/v1/aot-training-not-found-$round" || true
done

kill -TERM "$pid"
# the JVM assembles the cache after the application has stopped; give it time
wait "$pid" || true
pid=""
if [ ! -s "$cache" ]; then
  echo "aot-train: no AOT cache was written" >&2
  tail -n 40 "$home/training.log" >&2
  exit 1
fi
echo "aot-train: wrote $cache ($(wc -c <"$cache") bytes)"
