package dev.monkeytown.build.github;

import static dev.monkeytown.build.github.GitHubModeBuildsTest.actions;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.awaitLatestStatus;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.awaitRunnerKnown;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.awaitState;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.awaitWorkflowRun;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.deliver;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.newestBuild;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.push;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.kit.testing.Management;

/**
 * What one build costs on GitHub, counted by the double's ledger: a push webhook to a branch a pipeline builds, the
 * dispatch, {@code in_progress} and {@code completed} webhooks, one Actions artifact copied into the registry, and the
 * commit status — every request build-service made between the push and the build's end, by kind and by what it was
 * for. Printed as a table (docs/benchmarks.md quotes it) and bounded, so a change that makes builds costlier fails here.
 *
 * <p>
 * Reconciliation at production's 60 s ({@link GitHubBuildCostProfile}). Run alone:
 * {@code ./mvnw -pl build-service -am test -Dtest=GitHubBuildCostTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
@QuarkusTest
@TestProfile(GitHubBuildCostProfile.class)
class GitHubBuildCostTest {

    /** Builds measured one after the other; the figures are per build. */
    static final int BUILDS = 5;

    @Test
    void oneBuildCostsAFewWritesAndAHandfulOfCountedReads() {
        await().atMost(GitHubModeBuildsTest.PATIENCE)
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        GitHubDouble github = GitHubModeBuildsProfile.DoubleResource.github;
        HostedRepository repository = GitHubModeBuildsProfile.DoubleResource.repository;
        List<RecordedRequest> spent = new java.util.ArrayList<>();
        List<Long> toDispatch = new java.util.ArrayList<>();
        long millis = 0;
        for (int i = 0; i < BUILDS; i++) {
            String before = repository.ref("refs/heads/india")
                    .orElseGet(() -> repository.ref("refs/heads/main").orElseThrow());
            if (repository.ref("refs/heads/india").isEmpty()) {
                repository.forceRef("refs/heads/india", before);
            }
            String head = repository.commitFiles("india", Map.of("src/" + UUID.randomUUID() + ".txt", "a change"),
                    "change on india");

            Instant from = Instant.now();
            deliver("push", push("india", before, head)).body("handled", equalTo(true));
            String id = newestBuild("india", head);
            WorkflowRun run = awaitWorkflowRun(id + "-1");
            awaitRunnerKnown(id);
            deliver("workflow_run", actions().markInProgress(run.id()));
            awaitState(id, "running");
            github.artifacts().upload(GitHubModeBuildsTest.OWNER_NAME, run.id(), "dist",
                    Map.of("site/index.html", ("<h1>" + id + "</h1>").getBytes(StandardCharsets.UTF_8)));
            deliver("workflow_run", actions().complete(run.id(), "success"));
            awaitState(id, "succeeded");
            awaitLatestStatus(head, "india", "success");
            Instant to = Instant.now();
            millis += Duration.between(from, to).toMillis();

            List<RecordedRequest> these = github.ledger().requests().stream()
                    .filter(r -> !r.arrivedAt().isBefore(from) && !r.arrivedAt().isAfter(to)).toList();
            spent.addAll(these);
            these.stream().filter(r -> r.path().contains("/build-india.yml/dispatches")).findFirst()
                    .ifPresent(dispatch -> toDispatch.add(Duration.between(from, dispatch.arrivedAt()).toMillis()));
        }

        Map<String, Map<CallKind, Long>> table = spent.stream().collect(Collectors.groupingBy(
                GitHubBuildCostTest::purpose, TreeMap::new,
                Collectors.groupingBy(RecordedRequest::kind, TreeMap::new, Collectors.counting())));
        StringBuilder out = new StringBuilder("GitHub requests per build, " + BUILDS + " builds (push webhook to"
                + " commit status " + millis / BUILDS + " ms each on average):\n");
        table.forEach((purpose, kinds) -> out.append(String.format("  %-40s %s%n", purpose, kinds.entrySet()
                .stream().map(e -> e.getKey() + "=" + perBuild(e.getValue())).collect(Collectors.joining(", ")))));
        Function<CallKind, Long> total = kind -> spent.stream().filter(r -> r.kind() == kind).count();
        out.append(String.format("  %-40s writes %s, counted reads %s, 304s %s, transfers %s%n", "total",
                perBuild(total.apply(CallKind.WRITE)), perBuild(total.apply(CallKind.COUNTED_READ)),
                perBuild(total.apply(CallKind.NOT_MODIFIED)), perBuild(total.apply(CallKind.TRANSFER))));
        List<Long> sorted = toDispatch.stream().sorted().toList();
        out.append("  push webhook answered to workflow_dispatch sent: " + sorted + " ms (median "
                + sorted.get(sorted.size() / 2) + ")\n");
        System.out.println(out);

        // the build's own writes: one dispatch and two statuses; its state changes are the state store's commits
        long buildWrites = spent.stream().filter(r -> r.kind() == CallKind.WRITE)
                .filter(r -> !purpose(r).startsWith("state")).count();
        assertTrue(buildWrites <= 3 * BUILDS, out::toString);
        assertTrue(total.apply(CallKind.WRITE) <= 10 * BUILDS, out::toString);
        long buildReads = spent.stream().filter(r -> r.kind() == CallKind.COUNTED_READ)
                .filter(r -> !purpose(r).startsWith("state")).count();
        assertTrue(buildReads <= 8 * BUILDS, out::toString);
    }

    private static String perBuild(long count) {
        return String.format(java.util.Locale.ROOT, "%.1f", (double) count / BUILDS);
    }

    /** What a request was for, by its path. */
    static String purpose(RecordedRequest request) {
        String path = request.path();
        if (path.equals("/graphql") || path.contains("monkeytown/state/") || path.contains("/git/trees")
                || path.contains("/git/blobs") || path.matches(".*/git/(commits|refs)$")) {
            return "state branch (GraphQL, Git data)";
        }
        if (path.contains("/statuses/")) {
            return "commit status";
        }
        if (path.contains("/dispatches")) {
            return "workflow dispatch";
        }
        if (path.contains("/artifacts")) {
            return "Actions artifacts (list, download)";
        }
        if (path.startsWith("/actions-artifacts-storage/")) {
            return "artifact zip (storage host)";
        }
        if (path.contains("/actions/")) {
            return "workflow runs (inspect, listing)";
        }
        if (path.contains("/git/ref/heads/") || path.contains("/git/commits/") || path.contains("/contents/")
                || path.contains("/compare/")) {
            return "repository (heads, trees, builds.yaml)";
        }
        return "other " + request.method() + " " + path;
    }
}
