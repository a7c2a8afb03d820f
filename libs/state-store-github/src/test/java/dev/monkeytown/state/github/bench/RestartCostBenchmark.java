// Run from the repository root: bench/state-restart.sh, which builds the test classpath and runs:
//   java -cp <test classpath> dev.monkeytown.state.github.bench.RestartCostBenchmark [runs] [rounds]
package dev.monkeytown.state.github.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.OneByOneBlobReads;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.github.GitHubBranchBackend;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * What a restart of agent-dispatcher costs in GitHub mode, counted by the GitHub double: a fresh process (new client,
 * empty caches, new engine) opens the branch and reads what the dispatcher's restart reads — its live runs, cron ticks,
 * processed head and the newest day folders of history until 1,000 runs ({@link DispatcherLayout#restartFolders}, the
 * folders {@code RunBook.restore} chooses). Two variants of the same engine, alternating in one process against one
 * double:
 * <ul>
 * <li><b>before</b>: {@link GitHubBranchBackend} wrapped in {@link OneByOneBlobReads}, which leaves
 * {@code readBlobs} to the SPI's default: one counted GET per document, as before bulk reads existed;</li>
 * <li><b>after</b>: {@link GitHubBranchBackend} as it is: GraphQL, 1,100 documents per query.</li>
 * </ul>
 * Then the same process reads the same folders again (what a reload after a failed dispatch turn costs). Prints
 * markdown tables; the counts are deterministic, the times are this machine's.
 */
public final class RestartCostBenchmark {

    private static final String REPOSITORY = "monkeytown/monkeytown";
    private static final String SERVICE = "agent-dispatcher";
    private static final Duration WAIT = Duration.ofMinutes(2);
    /** agent-dispatcher's restart: the newest days until 1,000 runs, at most 31 days back. */
    private static final int ENOUGH_RUNS = 1000;
    private static final int MAX_DAYS = 31;

    private record Spent(long countedReads, long notModified, long writes, long rejected, Map<String, Long> byRoute) {

        long requests() {
            return countedReads + notModified + writes + rejected;
        }

        static Spent of(List<RecordedRequest> requests) {
            Map<String, Long> byRoute = new TreeMap<>();
            requests.forEach(r -> byRoute.merge(r.method() + " " + route(r.path()) + " [" + r.kind() + "]", 1L,
                    Long::sum));
            return new Spent(count(requests, CallKind.COUNTED_READ), count(requests, CallKind.NOT_MODIFIED),
                    count(requests, CallKind.WRITE), count(requests, CallKind.REJECTED), byRoute);
        }

        private static long count(List<RecordedRequest> requests, CallKind kind) {
            return requests.stream().filter(r -> r.kind() == kind).count();
        }
    }

    private record Restart(boolean oneByOne, int documents, Spent spent, long nanos, Spent again, long againNanos) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (GitHubDouble github = GitHubDouble.start()) {
            github.repository("monkeytown", "monkeytown");
            // "before" spends ~1,060 core requests a restart; the rounds must not run into the hour's 5,000
            github.primaryLimit("core", 1_000_000, Duration.ofHours(1));
            github.primaryLimit("graphql", 1_000_000, Duration.ofHours(1));
            Map<String, String> documents = DispatcherLayout.branchWithRuns(runs);
            seed(github, documents);

            // one unreported round of each, so neither variant pays for class loading and the JIT
            restart(github, true);
            restart(github, false);
            List<Restart> before = new ArrayList<>();
            List<Restart> after = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                boolean beforeFirst = round % 2 == 0;
                Restart first = restart(github, beforeFirst);
                Restart second = restart(github, !beforeFirst);
                before.add(beforeFirst ? first : second);
                after.add(beforeFirst ? second : first);
            }
            if (!github.violations().isEmpty()) {
                throw new IllegalStateException("requests GitHub would refuse: " + github.violations());
            }
            print(runs, documents, rounds, before, after);
        }
    }

    /** The dispatcher's branch, written in commits of 250 documents. */
    private static void seed(GitHubDouble github, Map<String, String> documents) throws IOException {
        try (GroupCommitStateBranch writer = new GroupCommitStateBranch(SERVICE,
                new GitHubBranchBackend(client(github), REPOSITORY, SERVICE), StateBranchOptions.defaults())) {
            List<Map.Entry<String, String>> all = new ArrayList<>(documents.entrySet());
            for (int from = 0; from < all.size(); from += 250) {
                List<Map.Entry<String, String>> chunk = all.subList(from, Math.min(all.size(), from + 250));
                writer.apply(new Change("seed " + from, Actor.service(SERVICE),
                        workspace -> chunk.forEach(e -> workspace.put(e.getKey(), e.getValue()))))
                        .await().atMost(WAIT);
            }
        }
    }

    private static Restart restart(GitHubDouble github, boolean oneByOne) throws IOException {
        int mark = github.ledger().requests().size();
        long start = System.nanoTime();
        // a fresh process: a new client (empty ETag cache) and a new engine (empty view and blob cache)
        BranchBackend backend = new GitHubBranchBackend(client(github), REPOSITORY, SERVICE);
        if (oneByOne) {
            backend = new OneByOneBlobReads(backend);
        }
        try (GroupCommitStateBranch branch = new GroupCommitStateBranch(SERVICE, backend,
                StateBranchOptions.defaults())) {
            List<String> folders = DispatcherLayout.restartFolders(
                    folder -> branch.paths(folder).await().atMost(WAIT).size(), ENOUGH_RUNS, MAX_DAYS);
            List<Document> documents = branch.list(folders).await().atMost(WAIT);
            long nanos = System.nanoTime() - start;
            Spent spent = Spent.of(since(github, mark));

            // the same process reads it all again (a reload after a failed turn): one conditional head read
            int againMark = github.ledger().requests().size();
            long againStart = System.nanoTime();
            branch.refresh().await().atMost(WAIT);
            branch.list(folders).await().atMost(WAIT);
            long againNanos = System.nanoTime() - againStart;
            return new Restart(oneByOne, documents.size(), spent, nanos, Spent.of(since(github, againMark)),
                    againNanos);
        }
    }

    private static List<RecordedRequest> since(GitHubDouble github, int mark) {
        List<RecordedRequest> all = github.ledger().requests();
        return all.subList(mark, all.size());
    }

    private static GitHubAccess client(GitHubDouble github) throws IOException {
        return GitHubAccess.connect("ghp_bench",
                GitHubAccessOptions.forApi(github.apiUrl(), github.login()).withPacing(WritePacing.unpaced()),
                new SimpleMeterRegistry());
    }

    private static void print(int runs, Map<String, String> documents, int rounds, List<Restart> before,
            List<Restart> after) throws IOException {
        Restart b = before.get(0);
        Restart a = after.get(0);
        for (int i = 1; i < rounds; i++) {
            if (!before.get(i).spent().equals(b.spent()) || !after.get(i).spent().equals(a.spent())) {
                System.out.println("note: the counts differed between rounds: " + before + " " + after);
            }
        }
        double recordBytes = documents.entrySet().stream().filter(e -> e.getKey().startsWith("runs/"))
                .mapToInt(e -> e.getValue().length()).average().orElse(0);
        System.out.printf(Locale.ROOT, "%nRestart of agent-dispatcher in GitHub mode: %d runs in history (mean record "
                + "%.0f bytes), %d live, %d documents on the branch; %d rounds; load average %s; %d cores; Java %s%n%n",
                runs, recordBytes, DispatcherLayout.LIVE, documents.size(), rounds, loadAverage(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("| variant | documents read | counted reads | 304s | writes | requests | wall ms per round "
                + "| wall ms, median |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        row("before: one GET per document (SPI default readBlobs)", before);
        row("after: GraphQL, 1,100 documents per query", after);
        System.out.printf(Locale.ROOT, "| **before / after** | | **%.0fx** | | | **%.0fx** | | **%.1fx** |%n",
                b.spent().countedReads() / (double) a.spent().countedReads(),
                b.spent().requests() / (double) a.spent().requests(),
                median(before.stream().mapToLong(Restart::nanos).toArray())
                        / median(after.stream().mapToLong(Restart::nanos).toArray()));
        System.out.println();
        System.out.println("The same process reading the same folders again (refresh + list):");
        System.out.println();
        System.out.println("| variant | counted reads | 304s | writes | wall ms, median |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (List<Restart> variant : List.of(before, after)) {
            Restart r = variant.get(0);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.1f |%n", r.oneByOne() ? "before" : "after",
                    r.again().countedReads(), r.again().notModified(), r.again().writes(),
                    median(variant.stream().mapToLong(Restart::againNanos).toArray()) / 1e6);
        }
        for (Restart r : List.of(b, a)) {
            System.out.printf("%nRequests by route, %s:%n", r.oneByOne() ? "before" : "after");
            r.spent().byRoute().forEach((route, count) -> System.out.printf(Locale.ROOT, "  %5d  %s%n", count,
                    route));
        }
    }

    private static void row(String name, List<Restart> rounds) {
        Restart r = rounds.get(0);
        List<String> times = rounds.stream().map(x -> String.format(Locale.ROOT, "%.0f", x.nanos() / 1e6)).toList();
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %.0f |%n", name, r.documents(),
                r.spent().countedReads(), r.spent().notModified(), r.spent().writes(), r.spent().requests(),
                String.join(", ", times), median(rounds.stream().mapToLong(Restart::nanos).toArray()) / 1e6);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        if (!Files.exists(loadavg)) {
            return "?";
        }
        String[] fields = Files.readString(loadavg).trim().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /** The path with ids, shas and queries taken out, so requests of the same kind add up. */
    static String route(String path) {
        return path.replaceAll("\\?.*$", "?…").replaceAll("/[0-9a-f]{40}(\\.\\.\\.[0-9a-f]{40})?", "/{sha}")
                .replaceAll("/heads/monkeytown/state/[^/?]+", "/heads/monkeytown/state/{service}");
    }

    private RestartCostBenchmark() {
    }
}
