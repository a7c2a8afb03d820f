#!/usr/bin/env bash
# GitHub state store against the GitHub double: writes and counted reads per state commit for 1, 10, 100 documents.
#
#   bench/state-github.sh
#
# Built from the reactor (nothing is installed into ~/.m2), under the machine's one-Maven-build lock, offline.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
flock /tmp/monkeytown-maven.lock ./mvnw -o -q -B -pl libs/state-store-github -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
java -cp "libs/state-store-github/target/test-classes:libs/state-store-github/target/classes:$(cat libs/state-store-github/target/bench.cp)" \
  dev.monkeytown.state.github.bench.GitHubCostBenchmark 2>/dev/null
