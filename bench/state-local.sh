#!/usr/bin/env bash
# Local state store: durable changes/second with group commit vs one commit per change, side by side in one run.
#
#   bench/state-local.sh [changes] [callers-in-flight]     (defaults 2000 64)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
./mvnw -q -B -pl libs/state-store test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
java -cp "libs/state-store/target/test-classes:libs/state-store/target/classes:$(cat libs/state-store/target/bench.cp)" \
  dev.monkeytown.state.bench.LocalCommitBenchmark "${1:-2000}" "${2:-64}"
