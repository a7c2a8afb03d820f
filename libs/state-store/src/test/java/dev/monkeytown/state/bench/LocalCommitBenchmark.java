package dev.monkeytown.state.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.engine.StateBranchStats;
import dev.monkeytown.state.local.LocalGitRepository;

/**
 * Durable changes per second on the local backend: group commit with many callers in flight, against one commit per
 * change (each caller waits for its ack before sending the next). Every ack means the commit is fsynced. Two
 * workloads: the dispatcher's "queue a run" (a new run document plus the shared {@code queue.json}), and a new
 * document per change with nothing shared (a batch still writes one blob per change, but all of a commit's objects go
 * into one pack, so a commit costs the same fsyncs whatever its size).
 * <p>
 * Run from the repository root (writes the test classpath to a file, then runs the class with plain {@code java}):
 *
 * <pre>
 * ./mvnw -q -pl libs/state-store test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp libs/state-store/target/test-classes:libs/state-store/target/classes:$(cat libs/state-store/target/bench.cp) \
 *     dev.monkeytown.state.bench.LocalCommitBenchmark 2000 64
 * </pre>
 *
 * Arguments (optional): changes per row (default 2000), callers in flight for group commit (default 64). Set
 * {@code -Dbench.dir=/some/disk} to measure another file system than the temp directory's.
 */
public final class LocalCommitBenchmark {

    private LocalCommitBenchmark() {
    }

    enum Workload {
        QUEUE_RUN("queue a run: runs/<date>/<id>.json + queue.json") {
            @Override
            Change change(int i) {
                String path = "runs/2026/11/27/" + String.format("%08d", i) + ".json";
                String run = "{\"id\":" + i + ",\"agent\":\"docs\",\"state\":\"queued\"}";
                return new Change("queue run " + i, Actor.user("bench"), ws -> {
                    ws.put(path, run);
                    // queue.json keeps the 50 newest ids, so its size stays flat over the run.
                    String queue = ws.read("queue.json").map(doc -> doc.text()).orElse("[]");
                    String ids = queue.substring(1, queue.length() - 1);
                    String[] kept = ids.isEmpty() ? new String[0] : ids.split(",");
                    int from = Math.max(0, kept.length - 49);
                    StringBuilder next = new StringBuilder("[");
                    for (int k = from; k < kept.length; k++) {
                        next.append(kept[k]).append(',');
                    }
                    ws.put("queue.json", next.append(i).append(']').toString());
                });
            }
        },
        NEW_DOCUMENT("new document per change, 16 folders, nothing shared") {
            @Override
            Change change(int i) {
                String path = "items/" + (i % 16) + "/" + i + ".json";
                String json = "{\"id\":" + i + "}";
                return new Change("write item " + i, Actor.user("bench"), ws -> ws.put(path, json));
            }
        };

        final String description;

        Workload(String description) {
            this.description = description;
        }

        abstract Change change(int i);
    }

    record Result(Workload workload, String mode, int changes, long nanos, StateBranchStats stats) {

        double perSecond() {
            return changes / (nanos / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        // The test classpath carries JBoss LogManager, which wants to be the JUL manager before any logger exists.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));

        // Warm the JIT on both paths so neither mode pays for it.
        run(base, Workload.QUEUE_RUN, "warm-up", 300, inFlight);
        run(base, Workload.QUEUE_RUN, "warm-up", 100, 1);

        List<Result> results = new ArrayList<>();
        for (Workload workload : Workload.values()) {
            results.add(run(base, workload, "group commit, " + inFlight + " callers in flight", changes, inFlight));
            results.add(run(base, workload, "one commit per change (sequential acks)", changes, 1));
        }

        System.out.printf("%nLocal backend, %d changes per row, %s, %d cores, Java %s%n%n", changes,
                Files.getFileStore(base).type() + " at " + base, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println("| workload | mode | commits | changes/commit | durable changes/s | ratio |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (int i = 0; i < results.size(); i += 2) {
            Result grouped = results.get(i);
            Result single = results.get(i + 1);
            for (Result result : List.of(grouped, single)) {
                System.out.printf("| %s | %s | %d | %.1f | %.0f | %s |%n", result.workload().description,
                        result.mode(), result.stats().commits(), result.stats().meanBatchSize(),
                        result.perSecond(), result == grouped
                                ? String.format("**%.1fx**", grouped.perSecond() / single.perSecond())
                                : "1x");
            }
        }
    }

    private static Result run(Path base, Workload workload, String mode, int changes, int inFlight)
            throws Exception {
        Path directory = Files.createTempDirectory(base, "state-bench-");
        try (LocalGitRepository repository = LocalGitRepository.openOrCreate(directory.resolve("repo"));
                GroupCommitStateBranch branch = new GroupCommitStateBranch("bench", repository.branch("bench"),
                        StateBranchOptions.defaults())) {
            Semaphore slots = new Semaphore(inFlight);
            CountDownLatch done = new CountDownLatch(changes);
            AtomicInteger failures = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < changes; i++) {
                slots.acquire();
                branch.apply(workload.change(i))
                        .subscribe().with(receipt -> {
                            slots.release();
                            done.countDown();
                        }, failure -> {
                            failures.incrementAndGet();
                            slots.release();
                            done.countDown();
                        });
            }
            if (!done.await(10, TimeUnit.MINUTES) || failures.get() > 0) {
                throw new IllegalStateException(mode + ": " + failures.get() + " changes failed or timed out");
            }
            return new Result(workload, mode, changes, System.nanoTime() - start, branch.stats());
        } finally {
            deleteRecursively(directory);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
