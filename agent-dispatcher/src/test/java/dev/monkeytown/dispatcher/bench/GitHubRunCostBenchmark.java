// Run from the repository root: bench/dispatch-github.sh, which builds the test classpath and runs:
//   java -cp <test classpath> dev.monkeytown.dispatcher.bench.GitHubRunCostBenchmark [runs] [agents] [reconcile-ms]
package dev.monkeytown.dispatcher.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.runner.RunnerRef;

/**
 * GitHub requests per agent run in GitHub mode, counted by the GitHub double: each run goes queued → dispatched →
 * in_progress → completed, its progress delivered as the {@code workflow_run} webhooks GitHub would send, then one
 * reconcile cycle passes. Runs one at a time against runs of several agents at once, where one group commit records
 * several runs' steps. Prints a markdown table and, per variant, which requests were made.
 *
 * <pre>
 * bench/dispatch-github.sh [runs] [agents] [reconcile-interval-ms]     (defaults 20 5 1000)
 * </pre>
 */
public final class GitHubRunCostBenchmark {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private record Variant(String name, boolean sequential) {
    }

    private record Cost(Variant variant, int runs, long countedReads, long notModified, long restWrites,
            long graphQlCommits, Map<String, Long> byRoute) {

        long writes() {
            return restWrites + graphQlCommits;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Duration reconcile = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 1000);
        List<Cost> costs = new ArrayList<>();
        for (Variant variant : List.of(new Variant("sequential (1 run at a time)", true),
                new Variant("concurrent (all queued at once, 1 active per agent)", false))) {
            costs.add(measure(variant, runs, agents, reconcile));
        }
        System.out.printf(Locale.ROOT, "%n%d runs over %d agents, reconcile every %d ms, writes unpaced; Java %s%n%n",
                runs, agents, reconcile.toMillis(), System.getProperty("java.version"));
        System.out.println("| variant | counted reads | free 304s | REST writes | GraphQL commits | total requests "
                + "| counted reads / run | 304s / run | writes / run | requests / run |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Cost c : costs) {
            long total = c.countedReads + c.notModified + c.writes();
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2f |%n",
                    c.variant.name, c.countedReads, c.notModified, c.restWrites, c.graphQlCommits, total,
                    per(c.countedReads, c.runs), per(c.notModified, c.runs), per(c.writes(), c.runs),
                    per(total, c.runs));
        }
        for (Cost c : costs) {
            System.out.printf("%nRequests by route, %s:%n", c.variant.name);
            c.byRoute.forEach((route, count) -> System.out.printf(Locale.ROOT, "  %5d  %s%n", count, route));
        }
    }

    private static Cost measure(Variant variant, int runs, int agents, Duration reconcile) throws Exception {
        try (GitHubDouble github = GitHubDouble.start();
                GitHubDispatchRig rig = new GitHubDispatchRig(github, "monkeytown", agents, reconcile)) {
            rig.dispatcher.start();
            rig.dispatcher.restored().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            // the first run creates the state branch (a few Git Data writes once in its life): not measured
            driveUntilSucceeded(rig, List.of(request(rig, rig.agents.get(0))));

            int mark = github.ledger().requests().size();
            if (variant.sequential) {
                for (int i = 0; i < runs; i++) {
                    driveUntilSucceeded(rig, List.of(request(rig, rig.agents.get(i % agents))));
                }
            } else {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    ids.add(request(rig, rig.agents.get(i % agents)));
                }
                driveUntilSucceeded(rig, ids);
            }
            // one reconcile cycle with nothing active: what idling costs on top
            Thread.sleep(reconcile.toMillis() + 500);
            List<RecordedRequest> requests = github.ledger().requests();
            if (!github.violations().isEmpty()) {
                throw new IllegalStateException("requests GitHub would refuse: " + github.violations());
            }
            return cost(variant, runs, requests.subList(mark, requests.size()));
        }
    }

    private static String request(GitHubDispatchRig rig, String agent) throws Exception {
        return rig.dispatcher.request(agent, new Trigger.Manual("bench")).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)
                .id();
    }

    /**
     * Plays GitHub's side: a workflow run the dispatcher has been told about starts, then succeeds, each transition
     * delivered as its webhook, until every run is recorded as succeeded.
     */
    private static void driveUntilSucceeded(GitHubDispatchRig rig, List<String> runIds) throws InterruptedException {
        Set<String> pending = new LinkedHashSet<>(runIds);
        Set<String> started = new HashSet<>();
        Set<String> completed = new HashSet<>();
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!pending.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("runs not succeeded in " + PATIENCE + ": " + pending);
            }
            for (String runId : List.copyOf(pending)) {
                RunRecord record = rig.record(runId).orElseThrow();
                RunState state = record.run().state();
                var workflowRunId = record.runner().flatMap(RunnerRef::externalId).map(Long::parseLong);
                if (state == RunState.SUCCEEDED) {
                    pending.remove(runId);
                } else if (state.isTerminal()) {
                    throw new IllegalStateException("run " + runId + " ended " + state + ": " + record.reason());
                } else if (state == RunState.DISPATCHED && workflowRunId.isPresent() && started.add(runId)) {
                    rig.runner.onWorkflowRun(rig.repository.actions().markInProgress(workflowRunId.get()));
                } else if (state == RunState.RUNNING && completed.add(runId)) {
                    rig.runner.onWorkflowRun(rig.repository.actions().complete(workflowRunId.orElseThrow(),
                            "success"));
                }
            }
            Thread.sleep(10);
        }
    }

    private static Cost cost(Variant variant, int runs, List<RecordedRequest> requests) {
        long counted = requests.stream().filter(r -> r.kind() == CallKind.COUNTED_READ).count();
        long notModified = requests.stream().filter(r -> r.kind() == CallKind.NOT_MODIFIED).count();
        long graphQl = requests.stream().filter(r -> r.kind() == CallKind.WRITE && isGraphQl(r)).count();
        long rest = requests.stream().filter(r -> r.kind() == CallKind.WRITE && !isGraphQl(r)).count();
        Map<String, Long> byRoute = new TreeMap<>();
        requests.forEach(r -> byRoute.merge(r.method() + " " + route(r.path()) + " [" + r.kind() + "]", 1L,
                Long::sum));
        return new Cost(variant, runs, counted, notModified, rest, graphQl, byRoute);
    }

    private static boolean isGraphQl(RecordedRequest request) {
        return request.path().endsWith("/graphql");
    }

    /** The path with ids, shas and queries taken out, so requests of the same kind add up. */
    private static String route(String path) {
        return path.replaceAll("\\?.*$", "?…").replaceAll("/[0-9a-f]{40}", "/{sha}").replaceAll("/[0-9]+(?=/|$|\\?)",
                "/{id}").replaceAll("agent-agent-[0-9]+\\.yml", "agent-{name}.yml");
    }

    private static double per(long count, int runs) {
        return count / (double) runs;
    }

    private GitHubRunCostBenchmark() {
    }
}
