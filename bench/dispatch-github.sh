#!/usr/bin/env bash
# Agent runs in GitHub mode against the GitHub double: GitHub requests per run (counted reads, free 304s, REST writes,
# GraphQL commits), runs one at a time vs several agents' runs at once sharing group commits.
#
#   bench/dispatch-github.sh [runs] [agents] [reconcile-interval-ms]     (defaults 20 5 1000)
#
# Built from the reactor: nothing is installed into ~/.m2 (other engineers share it), the classpath points at the
# modules' target/ folders. One Maven build at a time on this machine (the lock), offline.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
flock /tmp/monkeytown-maven.lock ./mvnw -o -q -B -pl agent-dispatcher -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CMD=(java -cp "agent-dispatcher/target/test-classes:agent-dispatcher/target/classes:$(cat agent-dispatcher/target/bench.cp)"
  dev.monkeytown.dispatcher.bench.GitHubRunCostBenchmark "${1:-20}" "${2:-5}" "${3:-1000}")
echo "\$ java -cp <agent-dispatcher test classpath> dev.monkeytown.dispatcher.bench.GitHubRunCostBenchmark ${1:-20} ${2:-5} ${3:-1000}"
# the dispatcher's and the GitHub client's logs go to stderr; the table is on stdout
"${CMD[@]}" 2>/dev/null
