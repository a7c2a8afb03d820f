#!/usr/bin/env bash
# websocket-service fan-out: latency from publish to every client's receipt for one event to 1,000 and 10,000
# clients, burst throughput, and RSS per idle connection, side by side with a bare Vert.x WebSocket broadcaster.
# websocket-service runs as a real process from its jar, fed over SSE by a producer inside the benchmark JVM; the bare
# broadcaster is a second process; all clients are in the benchmark JVM (so they share this machine's cores).
#
#   bench/ws-fanout.sh [events] [clients] [burst]     (defaults 50 1000,10000 100)
#   WS_BENCH_JAVA_OPTS="-Xmx512m" bench/ws-fanout.sh  (JVM options for both server processes; default below)
#   WS_BENCH_DIAG=1 bench/ws-fanout.sh                (also saves a heap histogram at each RSS point in target/; add
#                                                    -XX:NativeMemoryTracking=summary to the options for native memory)
set -euo pipefail
# Both servers run with the suite's JVM options (./monkeytown) and a heap sized for 10k connections (docs/websocket.md,
# "Sizing"); WS_BENCH_JAVA_OPTS="" gives the JVM's defaults instead (G1, heap from the machine's memory).
export WS_BENCH_JAVA_OPTS="${WS_BENCH_JAVA_OPTS-"-XX:+UseSerialGC -Xms16m -Xmx256m -Xmn64m -XX:MaxMetaspaceSize=128m \
-XX:ReservedCodeCacheSize=48m -Xss512k -XX:+ExitOnOutOfMemoryError"}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# each process holds one descriptor per connection (10k clients here, 10k sockets in the server); a container without
# CAP_SYS_RESOURCE cannot go above its hard limit, so settle for that
ulimit -n 65536 2>/dev/null || { ulimit -n "$(ulimit -Hn)"; echo "note: ulimit -n capped at the hard limit $(ulimit -n)" >&2; }
./mvnw -q -B -pl websocket-service -am install -DskipTests
./mvnw -q -B -pl websocket-service test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
CMD=(java -cp "websocket-service/target/test-classes:websocket-service/target/classes:$(cat websocket-service/target/bench.cp)"
  dev.monkeytown.websocket.bench.WsFanoutBenchmark websocket-service/target/quarkus-app/quarkus-run.jar
  "${1:-50}" "${2:-1000,10000}" "${3:-100}")
echo "+ (ulimit -n $(ulimit -n); WS_BENCH_JAVA_OPTS=\"$WS_BENCH_JAVA_OPTS\") java -cp websocket-service/target/test-classes:websocket-service/target/classes:<test classpath> ${CMD[*]: -5}"
cd websocket-service
CMD[2]="target/test-classes:target/classes:$(cat target/bench.cp)"
CMD[4]=target/quarkus-app/quarkus-run.jar
"${CMD[@]}"
