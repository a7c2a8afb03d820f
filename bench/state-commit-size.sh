#!/usr/bin/env bash
# Commit cost against branch size (1k, 10k, 50k documents in agent-dispatcher's layout), local backend and GitHub
# backend (against the GitHub double) side by side in one run, and the heap the engine holds for a branch's view.
#
#   bench/state-commit-size.sh [sizes] [commits] [warm-up]     (defaults 1000,10000,50000 50 20)
#   BENCH_DIR=/some/disk bench/state-commit-size.sh          (where the local repositories go; default: temp dir)
#
# Serial GC, as the launcher runs the services, so "used heap after a full GC" is what is live. Built from the reactor
# (nothing is installed into ~/.m2), under the machine's one-Maven-build lock, offline.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
flock /tmp/monkeytown-maven.lock ./mvnw -o -q -B -pl libs/state-store-github -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
OPTS=(-XX:+UseSerialGC -Xmx2g -Dbench.dir="${BENCH_DIR:-${TMPDIR:-/tmp}}")
echo "\$ java ${OPTS[*]} -cp <state-store-github test classpath> dev.monkeytown.state.github.bench.CommitCostBenchmark ${1:-1000,10000,50000} ${2:-50} ${3:-20}"
java "${OPTS[@]}" \
  -cp "libs/state-store-github/target/test-classes:libs/state-store-github/target/classes:$(cat libs/state-store-github/target/bench.cp)" \
  dev.monkeytown.state.github.bench.CommitCostBenchmark "${1:-1000,10000,50000}" "${2:-50}" "${3:-20}" 2>/dev/null
