// Run from the repository root: bench/state-commit-size.sh, which builds the test classpath and runs:
//   java -XX:+UseSerialGC -cp <test classpath> dev.monkeytown.state.github.bench.CommitCostBenchmark [sizes] [commits] [warm-up]
package dev.monkeytown.state.github.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.github.GitHubBranchBackend;
import dev.monkeytown.state.local.LocalGitRepository;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * Commit cost against branch size, both backends side by side in one process, and the heap the engine holds for a
 * branch's view. Lives in the GitHub module because only its test classpath has both backends (and the double).
 * <p>
 * For each size (default 1,000, 10,000 and 50,000 documents, laid out as agent-dispatcher's branch,
 * {@link DispatcherLayout}) a branch is seeded with commits of 5,000 documents on each backend: a fresh repository
 * under the temp directory (or {@code -Dbench.dir}) and the GitHub double (unpaced client). Then every round makes one
 * commit on each of the six branches in turn (the order rotates), each touching 3 documents as a run being queued
 * does: a new {@code runs/<today>/<id>.json}, its {@code live/} copy, and the oldest {@code live/} copy deleted. A
 * commit is timed from {@code apply} to the acknowledgement, and split by {@link TimedBackend} into the backend call
 * and the rest (the engine).
 * <p>
 * Heap: with Serial GC (the launcher's), used heap after full collections before a fresh engine opens the branch,
 * after its tree is loaded ({@code refresh}), after every document is loaded ({@code list("")}), and after the engine
 * is closed and dropped — the last difference is what the engine itself retained.
 */
public final class CommitCostBenchmark {

    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final int SEED_CHUNK = 5000;

    /** One branch under test: a backend and a size, with the writer engine that commits to it. */
    private static final class Target {
        final String backend;
        final int size;
        final String service;
        final Supplier<BranchBackend> fresh;
        final TimedBackend timed;
        final GroupCommitStateBranch writer;
        final Deque<String> live = new ArrayDeque<>();
        final List<Long> totals = new ArrayList<>();
        final List<Long> backendTimes = new ArrayList<>();
        int sequence;

        Target(String backend, int size, String service, Supplier<BranchBackend> fresh) {
            this.backend = backend;
            this.size = size;
            this.service = service;
            this.fresh = fresh;
            this.timed = new TimedBackend(fresh.get());
            this.writer = new GroupCommitStateBranch(service, timed, StateBranchOptions.defaults());
        }
    }

    private record Heap(long tree, long everything, long retained, long cacheWeight) {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "1000,10000,50000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int commits = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        Path work = Files.createTempDirectory(base, "state-commit-size-");
        List<LocalGitRepository> repositories = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        try (GitHubDouble github = GitHubDouble.start()) {
            github.repository("monkeytown", "monkeytown");
            for (int size : sizes) {
                LocalGitRepository repository = LocalGitRepository.openOrCreate(work.resolve("repo-" + size));
                repositories.add(repository);
                String service = "dispatcher-" + size;
                targets.add(new Target("local", size, service, () -> repository.branch(service)));
                targets.add(new Target("github (double)", size, service,
                        () -> new GitHubBranchBackend(client(github), "monkeytown/monkeytown", service)));
            }
            for (Target target : targets) {
                seed(target);
            }
            for (int round = 0; round < warmUp; round++) {
                for (Target target : rotated(targets, round)) {
                    commit(target, false);
                }
            }
            for (int round = 0; round < commits; round++) {
                for (Target target : rotated(targets, round)) {
                    commit(target, true);
                }
            }
            List<Heap> heaps = new ArrayList<>();
            for (Target target : targets) {
                heaps.add(heap(target));
            }
            if (!github.violations().isEmpty()) {
                throw new IllegalStateException("requests GitHub would refuse: " + github.violations());
            }
            print(targets, heaps, commits, warmUp, base);
        } finally {
            targets.forEach(t -> t.writer.close());
            repositories.forEach(LocalGitRepository::close);
            deleteRecursively(work);
        }
    }

    private static void seed(Target target) {
        List<Map.Entry<String, String>> all = new ArrayList<>(DispatcherLayout.branch(target.size).entrySet());
        for (int from = 0; from < all.size(); from += SEED_CHUNK) {
            List<Map.Entry<String, String>> chunk = all.subList(from, Math.min(all.size(), from + SEED_CHUNK));
            target.writer.apply(new Change("seed " + from, Actor.service(target.service),
                    workspace -> chunk.forEach(e -> workspace.put(e.getKey(), e.getValue())))).await().atMost(WAIT);
        }
        for (int n = DispatcherLayout.LIVE - 1; n >= 0; n--) {
            target.live.addLast(DispatcherLayout.runId(n));
        }
    }

    /** One commit touching 3 documents: a new run and its live copy, and the oldest live copy gone. */
    private static void commit(Target target, boolean measured) {
        int sequence = target.sequence++;
        String id = DispatcherLayout.newRunId(sequence);
        String record = DispatcherLayout.newRecord(id, sequence);
        String oldest = target.live.removeFirst();
        target.live.addLast(id);
        String day = DispatcherLayout.TODAY.toString().replace('-', '/');
        long start = System.nanoTime();
        target.writer.apply(new Change("queue run " + id, Actor.service(target.service), workspace -> {
            workspace.put("runs/" + day + "/" + id + ".json", record);
            workspace.put(DispatcherLayout.livePath(id), record);
            workspace.delete(DispatcherLayout.livePath(oldest));
        })).await().atMost(WAIT);
        long total = System.nanoTime() - start;
        if (measured) {
            target.totals.add(total);
            target.backendTimes.add(target.timed.lastCommitNanos());
        }
    }

    private static Heap heap(Target target) throws InterruptedException {
        // the backend (and for GitHub its client) exists before the first measurement: only the engine is measured
        BranchBackend backend = target.fresh.get();
        long before = usedAfterGc();
        GroupCommitStateBranch engine = new GroupCommitStateBranch(target.service, backend,
                StateBranchOptions.defaults());
        engine.refresh().await().atMost(WAIT);
        long tree = usedAfterGc();
        int listed = engine.list("").await().atMost(WAIT).size();
        if (listed != engine.health().documents()) {
            throw new IllegalStateException("listed " + listed + " of " + engine.health().documents());
        }
        long everything = usedAfterGc();
        long cacheWeight = engine.health().cachedBytes();
        engine.close();
        engine = null;
        long released = usedAfterGc();
        return new Heap(tree - before, everything - before, everything - released, cacheWeight);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static List<Target> rotated(List<Target> targets, int round) {
        List<Target> order = new ArrayList<>(targets);
        java.util.Collections.rotate(order, round % order.size());
        return order;
    }

    private static GitHubAccess client(GitHubDouble github) {
        try {
            return GitHubAccess.connect("ghp_bench",
                    GitHubAccessOptions.forApi(github.apiUrl(), github.login()).withPacing(WritePacing.unpaced()),
                    new SimpleMeterRegistry());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void print(List<Target> targets, List<Heap> heaps, int commits, int warmUp, Path base)
            throws IOException {
        System.out.printf(Locale.ROOT, "%nCommits of 3 documents, %d per branch after %d warm-up rounds, sequential, "
                + "rounds rotating over the %d branches; %s at %s; load average %s; %d cores; Java %s; %s%n%n",
                commits, warmUp, targets.size(), Files.getFileStore(base).type(), base,
                RestartCostBenchmark.loadAverage(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), gcNames());
        System.out.println("| backend | documents | commit p50 ms | commit p90 ms | in the backend p50 ms "
                + "| in the backend p90 ms | engine (the rest) p50 ms | engine p90 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Target t : targets) {
            long[] engine = new long[t.totals.size()];
            for (int i = 0; i < engine.length; i++) {
                engine[i] = t.totals.get(i) - t.backendTimes.get(i);
            }
            long[] totals = t.totals.stream().mapToLong(Long::longValue).toArray();
            long[] inBackend = t.backendTimes.stream().mapToLong(Long::longValue).toArray();
            System.out.printf(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", t.backend,
                    t.size, ms(percentile(totals, 50)), ms(percentile(totals, 90)), ms(percentile(inBackend, 50)),
                    ms(percentile(inBackend, 90)), ms(percentile(engine, 50)), ms(percentile(engine, 90)));
        }
        System.out.println();
        System.out.println("Heap held by a fresh engine for the branch's view (Serial GC, used heap after full GCs):");
        System.out.println();
        System.out.println("| backend | documents | tree index MB | tree + every document MB | of which the blob "
                + "cache's weight MB | retained (freed on close) MB | tree per 10k documents MB "
                + "| tree + documents per 10k MB |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Heap h = heaps.get(i);
            System.out.printf(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", t.backend,
                    t.size, mb(h.tree()), mb(h.everything()), mb(h.cacheWeight()), mb(h.retained()),
                    mb(h.tree()) * 10_000 / t.size, mb(h.everything()) * 10_000 / t.size);
        }
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String gcNames() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                .toList());
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private CommitCostBenchmark() {
    }
}
