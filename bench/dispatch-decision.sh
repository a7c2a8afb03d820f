#!/usr/bin/env bash
# Agent run queue: time of one dispatch decision with 10,000 queued runs, RunQueue vs a full scan, side by side in one run.
#
#   bench/dispatch-decision.sh [measured-decisions] [warm-up-decisions]     (defaults 2000 500)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
./mvnw -q -B -pl agent-dispatcher test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
java -cp "agent-dispatcher/target/test-classes:agent-dispatcher/target/classes:$(cat agent-dispatcher/target/bench.cp)" \
  dev.monkeytown.dispatcher.queue.bench.DispatchDecisionBenchmark "${1:-2000}" "${2:-500}"
