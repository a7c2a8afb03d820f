# Shared by the drills under ops/drills: a throwaway suite, its API, waits, and a snapshot of what a user sees.
# Sourced, not run. Expects DRILL_PORT_BASE_DEFAULT to be set by the drill (each drill has its own port range).
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${DRILL_HOME:-$(mktemp -d)}
mkdir -p "$WORK"
export MONKEYTOWN_HOME="$WORK/home"
export MONKEYTOWN_PORT_BASE=${DRILL_PORT_BASE:-$DRILL_PORT_BASE_DEFAULT}
GATEWAY="http://127.0.0.1:$MONKEYTOWN_PORT_BASE"
MONKEYTOWN="$ROOT/monkeytown"

say() { printf 'drill: %s\n' "$*"; }
fail() { printf 'drill FAILED: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

finish() {
  "$MONKEYTOWN" down >/dev/null 2>&1 || true
  [ -n "${DRILL_HOME:-}" ] || rm -rf "$WORK"
}
trap finish EXIT

for tool in jq curl git sha256sum; do command -v "$tool" >/dev/null || fail "$tool is not on PATH"; done

api() { # method path [json body] -> body on stdout; fails on any status >= 400
  local method=$1 path=$2 body=${3:-} out status
  out=$(mktemp)
  status=$(curl -sS --max-time 30 -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${body:+--data "$body"} "$GATEWAY$path") || { rm -f "$out"; return 1; }
  if [ "$status" -ge 400 ]; then
    printf 'drill: %s %s answered %s: %s\n' "$method" "$path" "$status" "$(head -c 300 "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

# Polls (up to $3 seconds) until GET $1 answers JSON whose jq expression $2 is true; returns 1 if it never does.
poll_for() {
  local path=$1 condition=$2 seconds=${3:-120} deadline
  deadline=$((SECONDS + seconds))
  until api GET "$path" 2>/dev/null | jq -e "$condition" >/dev/null 2>&1; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

wait_for() {
  poll_for "$@" || fail "gave up after ${3:-120}s waiting for $1 to satisfy $2"
}

queue_run() {
  api POST /api/v1/agents/greeter/runs '{}' | jq -r .id
}

# What a user can see of the suite's state, as one JSON object of record lists; compared before and after.
snapshot() {
  jq -n -c \
    --argjson runs "$(api GET '/api/v1/runs?limit=200' | jq -c '[.runs[] | {id, agent, state, at: .queuedAt}]')" \
    --argjson builds "$(api GET '/api/v1/builds?limit=200' | jq -c '[.builds[] | {id, pipeline, sha, state, outputs, at: .queuedAt}]')" \
    --argjson deployments "$(api GET '/api/v1/deployments?limit=200' | jq -c '[.deployments[] | {id, environment, sha, state, kind, at: .createdAt}]')" \
    '{runs: $runs, builds: $builds, deployments: $deployments}'
}


# Records of $1 missing or different in $2, and records of $2 absent from $1 that were made before $3 (ISO time):
# both mean the restore did not give back exactly what the backup held.
compare() {
  jq -n -c --argjson before "$1" --argjson after "$2" --arg since "$3" '
    [ ("runs", "builds", "deployments") as $kind
      | ($before[$kind] | map({(.id): .}) | add // {}) as $b
      | ($after[$kind] | map({(.id): .}) | add // {}) as $a
      | ( $b | to_entries[] | select($a[.key] != .value) | {kind: $kind, id: .key, backup: .value, restored: $a[.key]} ),
        ( $a | to_entries[] | select($b[.key] == null and .value.at < $since) | {kind: $kind, id: .key, unexpected: .value} )
    ]'
}

# Starts the suite (log in $WORK/$1.log) and reads the admin token into TOKEN.
start_suite() {
  "$MONKEYTOWN" up >"$WORK/$1.log" 2>&1 || { cat "$WORK/$1.log" >&2; fail "the suite did not start ($1)"; }
  TOKEN=$(cat "$MONKEYTOWN_HOME/token")
}
