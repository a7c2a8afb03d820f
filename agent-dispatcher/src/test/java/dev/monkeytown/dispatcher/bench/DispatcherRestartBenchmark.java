// Run from the repository root: bench/state-restart.sh (after the state store's own restart benchmark), which runs:
//   java -cp <agent-dispatcher test classpath> dev.monkeytown.dispatcher.bench.DispatcherRestartBenchmark [runs] [rounds]
package dev.monkeytown.dispatcher.bench;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.OneByOneBlobReads;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.fence.FencedStateBranch;
import dev.monkeytown.state.fence.WriterFence;
import dev.monkeytown.state.github.GitHubBranchBackend;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * agent-dispatcher's own restart in GitHub mode, counted by the GitHub double: what a new process does before it
 * dispatches — the writer takeover (one commit through {@link FencedStateBranch}, as {@code WriterTakeover} does at
 * start-up), then {@link RunBook#restore} with the dispatcher's bounds (1,000 runs, 31 days) — over a
 * {@link GroupCommitStateBranch} on a fresh client. The branch is written with the dispatcher's own {@link RunBook}
 * and records: {@code runs} runs at 40 a day, the newest 50 running (so also under {@code live/}), 10 agents' ticks
 * and the processed head.
 * <p>
 * Before/after as in the state store's {@code RestartCostBenchmark}: "before" is the same GitHub backend with
 * {@code readBlobs} left to the SPI's default (one counted GET per document), "after" the backend as it is.
 */
public final class DispatcherRestartBenchmark {

    private static final String REPOSITORY = "monkeytown/monkeytown";
    private static final String SERVICE = "agent-dispatcher";
    private static final Duration WAIT = Duration.ofMinutes(2);
    /** The dispatcher's HISTORY_ON_START and HISTORY_DAYS_ON_START. */
    private static final int ENOUGH_RUNS = 1000;
    private static final int MAX_DAYS = 31;
    private static final int RUNS_PER_DAY = 40;
    private static final int LIVE = 50;
    private static final int AGENTS = 10;
    private static final Instant NOW = Instant.parse("2026-12-06T23:00:00Z");

    /** Quarkus' ObjectMapper as the dispatcher gets it: dates as ISO strings, Optional and java.time supported. */
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Spent(long countedReads, long notModified, long writes, Map<String, Long> byRoute) {

        static Spent of(List<RecordedRequest> requests) {
            Map<String, Long> byRoute = new TreeMap<>();
            requests.forEach(r -> byRoute.merge(r.method() + " " + route(r.path()) + " [" + r.kind() + "]", 1L,
                    Long::sum));
            return new Spent(requests.stream().filter(r -> r.kind() == CallKind.COUNTED_READ).count(),
                    requests.stream().filter(r -> r.kind() == CallKind.NOT_MODIFIED).count(),
                    requests.stream().filter(r -> r.kind() == CallKind.WRITE).count(), byRoute);
        }
    }

    record Restart(boolean oneByOne, Spent takeover, Spent restore, long nanos, RunBook.Restored restored) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        RunBook book = new RunBook(JSON);
        try (GitHubDouble github = GitHubDouble.start()) {
            github.repository("monkeytown", "monkeytown");
            github.primaryLimit("core", 1_000_000, Duration.ofHours(1));
            github.primaryLimit("graphql", 1_000_000, Duration.ofHours(1));
            int recordBytes = seed(github, book, runs);

            restart(github, book, true, 0);
            restart(github, book, false, 0);
            List<Restart> before = new ArrayList<>();
            List<Restart> after = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                boolean beforeFirst = round % 2 == 1;
                Restart first = restart(github, book, beforeFirst, round);
                Restart second = restart(github, book, !beforeFirst, round);
                before.add(beforeFirst ? first : second);
                after.add(beforeFirst ? second : first);
            }
            if (!github.violations().isEmpty()) {
                throw new IllegalStateException("requests GitHub would refuse: " + github.violations());
            }
            print(runs, recordBytes, before, after);
        }
    }

    /** Writes the branch as an earlier dispatcher would have, through its RunBook; returns a record's mean size. */
    static int seed(GitHubDouble github, RunBook book, int runs) throws IOException {
        Random random = new Random(11);
        List<RunRecord> records = new ArrayList<>();
        for (int n = runs - 1; n >= 0; n--) {
            Instant queued = NOW.atZone(ZoneOffset.UTC).toLocalDate().minusDays(n / RUNS_PER_DAY)
                    .atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plus(Duration.ofMinutes(15L * (RUNS_PER_DAY - 1 - n % RUNS_PER_DAY)));
            String id = new SortableIds(Clock.fixed(queued, ZoneOffset.UTC), random).next();
            String agent = "agent-" + n % AGENTS;
            AgentRun run = AgentRun.queued(id, agent, new Trigger.Scheduled(queued), queued)
                    .moveTo(RunState.DISPATCHED, queued.plusSeconds(1))
                    .moveTo(RunState.RUNNING, queued.plusSeconds(20));
            if (n >= LIVE) {
                run = run.moveTo(RunState.SUCCEEDED, queued.plusSeconds(600));
            }
            long workflowRun = 9_000_000_000L + n;
            RunnerRef ref = RunnerRef.of("github-actions").withExternalId(Long.toString(workflowRun))
                    .withUrl("https://github.com/" + REPOSITORY + "/actions/runs/" + workflowRun)
                    .withBranch("agents/" + agent + "/" + id);
            records.add(RunRecord.of(run).withRunner(ref).withRevision(n >= LIVE ? 4 : 3));
        }
        try (GroupCommitStateBranch writer = new GroupCommitStateBranch(SERVICE,
                new GitHubBranchBackend(client(github), REPOSITORY, SERVICE), StateBranchOptions.defaults())) {
            FencedStateBranch fenced = new FencedStateBranch(writer,
                    new WriterFence("agent-dispatcher-previous", Clock.systemUTC()));
            for (int from = 0; from < records.size(); from += 250) {
                List<RunRecord> chunk = records.subList(from, Math.min(records.size(), from + 250));
                fenced.apply(new Change("seed " + from, Actor.service(SERVICE),
                        workspace -> chunk.forEach(record -> book.stage(workspace, record)))).await().atMost(WAIT);
            }
            fenced.apply(new Change("ticks", Actor.service(SERVICE), workspace -> {
                for (int agent = 0; agent < AGENTS; agent++) {
                    book.stageTick(workspace, "agent-" + agent, NOW.minus(Duration.ofMinutes(agent)));
                }
                book.stageProcessedHead(workspace, "0123456789abcdef0123456789abcdef01234567");
            })).await().atMost(WAIT);
        }
        return (int) records.stream().mapToInt(r -> book.bytesOf(r).length).average().orElse(0);
    }

    static Restart restart(GitHubDouble github, RunBook book, boolean oneByOne, int round)
            throws IOException {
        int mark = github.ledger().requests().size();
        long start = System.nanoTime();
        BranchBackend backend = new GitHubBranchBackend(client(github), REPOSITORY, SERVICE);
        if (oneByOne) {
            backend = new OneByOneBlobReads(backend);
        }
        try (GroupCommitStateBranch engine = new GroupCommitStateBranch(SERVICE, backend,
                StateBranchOptions.defaults())) {
            FencedStateBranch branch = new FencedStateBranch(engine,
                    new WriterFence("agent-dispatcher-" + (oneByOne ? "before-" : "after-") + round,
                            Clock.systemUTC()));
            // WriterTakeover at start-up, then Dispatcher.restore once the branch is held
            branch.takeOver(Actor.service(SERVICE)).await().atMost(WAIT);
            int afterTakeover = github.ledger().requests().size();
            RunBook.Restored restored = book.restore(branch, NOW, ENOUGH_RUNS, MAX_DAYS);
            long nanos = System.nanoTime() - start;
            List<RecordedRequest> all = github.ledger().requests();
            return new Restart(oneByOne, Spent.of(all.subList(mark, afterTakeover)),
                    Spent.of(all.subList(afterTakeover, all.size())), nanos, restored);
        }
    }

    private static GitHubAccess client(GitHubDouble github) throws IOException {
        return GitHubAccess.connect("ghp_bench",
                GitHubAccessOptions.forApi(github.apiUrl(), github.login()).withPacing(WritePacing.unpaced()),
                new SimpleMeterRegistry());
    }

    private static void print(int runs, int recordBytes, List<Restart> before, List<Restart> after) {
        RunBook.Restored restored = after.get(0).restored();
        System.out.printf(Locale.ROOT, "%nagent-dispatcher restart (writer takeover + RunBook.restore) in GitHub mode: "
                + "%d runs in history (mean record %d bytes), restored %d live, %d recent, %d ticks, processed head "
                + "%s; %d rounds; %d cores; Java %s%n%n", runs, recordBytes, restored.live().size(),
                restored.recent().size(), restored.lastTicks().size(), restored.processedHead().isPresent(),
                before.size(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("| variant | takeover: counted reads | takeover: writes | restore: counted reads "
                + "| restore: 304s | total counted reads | total writes | wall ms per round | wall ms, median |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (List<Restart> variant : List.of(before, after)) {
            Restart r = variant.get(0);
            long[] nanos = variant.stream().mapToLong(Restart::nanos).toArray();
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %s | %.0f |%n",
                    r.oneByOne() ? "before: one GET per document" : "after: GraphQL, 1,100 per query",
                    r.takeover().countedReads(), r.takeover().writes(), r.restore().countedReads(),
                    r.restore().notModified(), r.takeover().countedReads() + r.restore().countedReads(),
                    r.takeover().writes() + r.restore().writes(),
                    String.join(", ", Arrays.stream(nanos).mapToObj(n -> String.format(Locale.ROOT, "%.0f", n / 1e6))
                            .toList()),
                    median(nanos) / 1e6);
        }
        for (Restart r : List.of(before.get(0), after.get(0))) {
            System.out.printf("%nRequests by route, %s (takeover, then restore):%n", r.oneByOne() ? "before" : "after");
            r.takeover().byRoute().forEach((route, count) -> System.out.printf(Locale.ROOT, "  %5d  %s%n", count,
                    route));
            System.out.println("  --");
            r.restore().byRoute().forEach((route, count) -> System.out.printf(Locale.ROOT, "  %5d  %s%n", count,
                    route));
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static String route(String path) {
        return path.replaceAll("\\?.*$", "?…").replaceAll("/[0-9a-f]{40}", "/{sha}");
    }

    private DispatcherRestartBenchmark() {
    }
}
