#!/usr/bin/env bash
# Restart cost of agent-dispatcher in GitHub mode against the GitHub double, before and after bulk reads: counted
# reads, 304s, writes and wall time of a fresh process reading what a restart needs with 1,000 runs in history and
# 50 live. First at the state store's level (RestartCostBenchmark), then the dispatcher's own start-up sequence
# (writer takeover + RunBook.restore, DispatcherRestartBenchmark).
#
#   bench/state-restart.sh [runs] [rounds]     (defaults 1000 3)
#
# Built from the reactor (nothing is installed into ~/.m2), under the machine's one-Maven-build lock, offline.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
flock /tmp/monkeytown-maven.lock ./mvnw -o -q -B -pl libs/state-store-github,agent-dispatcher -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
echo "\$ java -cp <state-store-github test classpath> dev.monkeytown.state.github.bench.RestartCostBenchmark ${1:-1000} ${2:-3}"
# the clients' and engines' logs go to stderr; the tables are on stdout
java -cp "libs/state-store-github/target/test-classes:libs/state-store-github/target/classes:$(cat libs/state-store-github/target/bench.cp)" \
  dev.monkeytown.state.github.bench.RestartCostBenchmark "${1:-1000}" "${2:-3}" 2>/dev/null
echo
echo "\$ java -cp <agent-dispatcher test classpath> dev.monkeytown.dispatcher.bench.DispatcherRestartBenchmark ${1:-1000} ${2:-3}"
java -cp "agent-dispatcher/target/test-classes:agent-dispatcher/target/classes:$(cat agent-dispatcher/target/bench.cp)" \
  dev.monkeytown.dispatcher.bench.DispatcherRestartBenchmark "${1:-1000}" "${2:-3}" 2>/dev/null
