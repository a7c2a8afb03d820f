#!/usr/bin/env bash
# Time from `./monkeytown up` to all six services ready, on JDK 17 and on JDK 25 with and without the AOT caches,
# alternating in one run so a busy machine skews every column alike; and each service's own time to ready.
#
#   bench/startup-suite.sh [rounds]    (default 3; needs the services built and a JDK 25+ the launcher can find)
#
# JDK 17 is the java on PATH (BENCH_JDK17 names another home), JDK 25 the one ./monkeytown picks (BENCH_JDK25).
# "all ready" = until `./monkeytown up` returns (it returns once every /q/health/ready answered 200; that includes
# its own work: the cache lookup hashes each build). "per service" = the first 200 from that service's
# /q/health/ready, polled every 50 ms from the moment up was started. One throwaway MONKEYTOWN_HOME, ports from
# BENCH_PORT_BASE (default 18180). A warm-up up/down per variant first, untimed: it trains the caches if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${1:-3}
PORT_BASE=${BENCH_PORT_BASE:-18180}
SERVICES=(api-gateway websocket-service agent-dispatcher build-service deploy-service artifact-service)
JDK17=${BENCH_JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${BENCH_JDK25:-$(dirname "$(dirname "$("$ROOT/monkeytown" jvm | sed -n 's/^Java [0-9]*: //p')")")}
[ "$("$JDK25/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" -ge 25 ] \
  || { echo "no JDK 25+ found: set BENCH_JDK25" >&2; exit 1; }
HOME_DIR=$(mktemp -d)
trap 'MONKEYTOWN_HOME=$HOME_DIR MONKEYTOWN_PORT_BASE=$PORT_BASE "$ROOT/monkeytown" down >/dev/null; rm -rf "$HOME_DIR"' EXIT

VARIANTS=("JDK 17" "JDK 25" "JDK 25 + AOT cache")
variant_env() { # variant index -> env assignments for the launcher
  case $1 in
    0) echo "MONKEYTOWN_JAVA_HOME=$JDK17" ;;
    1) echo "MONKEYTOWN_JAVA_HOME=$JDK25 MONKEYTOWN_AOT=off" ;;
    2) echo "MONKEYTOWN_JAVA_HOME=$JDK25" ;;
  esac
}
launcher() { # variant index, command
  # shellcheck disable=SC2046 # the assignments are words on purpose
  env MONKEYTOWN_HOME="$HOME_DIR" MONKEYTOWN_PORT_BASE="$PORT_BASE" $(variant_env "$1") "$ROOT/monkeytown" "$2"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# one timed up: prints "all_ms ms_service1 .. ms_service6"
timed_up() {
  local v=$1 start pid i done_count=0 out
  local -a ready=(0 0 0 0 0 0)
  out=$(mktemp)
  start=$(now_ms)
  launcher "$v" up >"$out" 2>&1 &
  pid=$!
  while [ $done_count -lt ${#SERVICES[@]} ]; do
    for i in "${!SERVICES[@]}"; do
      [ "${ready[$i]}" = 0 ] || continue
      if curl -fs -o /dev/null --max-time 1 "http://localhost:$((PORT_BASE + i + 1000))/q/health/ready" 2>/dev/null; then
        ready[i]=$(($(now_ms) - start)); done_count=$((done_count + 1))
      fi
    done
    if ! kill -0 "$pid" 2>/dev/null && [ $done_count -lt ${#SERVICES[@]} ]; then
      wait "$pid" || { cat "$out" >&2; exit 1; }
    fi
    sleep 0.05
  done
  wait "$pid" || { cat "$out" >&2; exit 1; }
  echo "$(($(now_ms) - start)) ${ready[*]}"
  rm -f "$out"
  launcher "$v" down >/dev/null
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for v in "${!VARIANTS[@]}"; do launcher "$v" up >/dev/null; launcher "$v" down >/dev/null; done

declare -a results=() # "variant all s1..s6" per timed up
for round in $(seq "$ROUNDS"); do
  for v in "${!VARIANTS[@]}"; do
    line=$(timed_up "$v")
    results+=("$v $line")
    echo "round $round, ${VARIANTS[$v]}: $line" >&2
  done
done

column() { # variant, field (1 = all ready, 2.. = services) -> median
  local r
  for r in "${results[@]}"; do
    read -r -a f <<<"$r"
    if [ "${f[0]}" = "$1" ]; then echo "${f[$2]}"; fi
  done | median
}

printf '\n%s rounds; JDK 17: %s; JDK 25: %s\n\n' "$ROUNDS" "$JDK17" "$JDK25"
printf '| median ms | %s | %s | %s | JDK 25 + cache / JDK 17 |\n|---|---:|---:|---:|---:|\n' "${VARIANTS[@]}"
for field in $(seq 1 $((${#SERVICES[@]} + 1))); do
  if [ "$field" = 1 ]; then name="**all six ready (up returns)**"; else name=${SERVICES[$((field - 2))]}; fi
  a=$(column 0 "$field"); b=$(column 1 "$field"); c=$(column 2 "$field")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$a" "$b" "$c" "$(awk -v c="$c" -v a="$a" 'BEGIN {printf "%.2f", c / a}')"
done
