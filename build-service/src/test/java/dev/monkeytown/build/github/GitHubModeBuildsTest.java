package dev.monkeytown.build.github;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.GitObjects;
import dev.monkeytown.github.testdouble.HostedActions;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.HostedStatuses;
import dev.monkeytown.github.testdouble.WebhookExamples;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.kit.testing.Management;

/**
 * build-service end to end in GitHub mode: a push webhook queues a build, each attempt is a workflow run on the GitHub
 * double, its progress arrives as {@code workflow_run} webhooks (built from {@code @octokit/webhooks-examples}) or,
 * when those are lost, through reconciliation.
 */
@QuarkusTest
@TestProfile(GitHubModeBuildsProfile.class)
class GitHubModeBuildsTest {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    @BeforeEach
    void serviceIsReady() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aPushWebhookQueuesABuildThatFollowsItsWorkflowRunToSuccess() {
        HostedRepository repository = GitHubModeBuildsProfile.DoubleResource.repository;
        String main = repository.ref("refs/heads/main").orElseThrow();
        repository.forceRef("refs/heads/alpha", main);
        String head = repository.commitFiles("alpha", Map.of("src/" + UUID.randomUUID() + ".txt", "a change"),
                "change on alpha");

        deliver("push", push("alpha", main, head)).body("handled", equalTo(true))
                .body("note", equalTo("automatic builds queued for alpha"));

        String id = newestBuild("alpha", head);
        WorkflowRun run = awaitWorkflowRun(id + "-1");
        assertEquals("alpha", run.headBranch(), "dispatched on the build's branch");
        assertEquals(head, run.headSha());
        awaitRunnerKnown(id);
        build(id).then().body("trigger", equalTo("push")).body("ref", equalTo("alpha"))
                .body("tree", equalTo(treeOf(head)));

        // the commit status branch protection can require: pending from the dispatch, linking to the workflow run
        HostedStatuses.CommitStatus pending = awaitStatus(head, "alpha", 1);
        assertEquals("pending", pending.state());
        assertEquals("https://github.com/monkeytown/monkeytown/actions/runs/" + run.id(), pending.targetUrl());

        deliver("workflow_run", actions().markInProgress(run.id())).body("handled", equalTo(true));
        awaitState(id, "running");
        deliver("workflow_run", actions().complete(run.id(), "success")).body("handled", equalTo(true));
        awaitState(id, "succeeded");
        assertEquals("success", awaitStatus(head, "alpha", 2).state());

        build(id).then().body("attempts[0].runner.kind", equalTo("github-actions"))
                .body("attempts[0].runner.externalId", equalTo(String.valueOf(run.id())))
                .body("attempts[0].startedAt", notNullValue())
                .body("finishedAt", notNullValue());

        // GitHub may deliver a push twice; the same head is nothing new
        deliver("push", push("alpha", main, head)).body("handled", equalTo(false));
        assertEquals(1, buildsOf("alpha").size(), "one build per push");
        assertEquals(1, runsTitled(id).size(), "one workflow run per attempt");
    }

    @Test
    void aRunCancelledBehindOurBackIsRetriedAsThePipelineAllowsAndAFailedStepIsNot() {
        // bravo retries infra once: a workflow run cancelled by somebody else is the machinery failing
        String retried = requestBuild("bravo");
        WorkflowRun first = awaitWorkflowRun(retried + "-1");
        awaitRunnerKnown(retried);
        deliver("workflow_run", actions().complete(first.id(), "cancelled"));

        // the retry re-runs the failed jobs of the same workflow run: its run_attempt 2, no second dispatch
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> actions().run(first.id()).orElseThrow().runAttempt() == 2);
        assertEquals(1, runsTitled(retried).size(), "re-run, not dispatched again");
        awaitState(retried, "dispatched");
        deliver("workflow_run", actions().markInProgress(first.id())).body("handled", equalTo(true));
        awaitState(retried, "running");
        deliver("workflow_run", actions().complete(first.id(), "success")).body("handled", equalTo(true));
        awaitState(retried, "succeeded");
        build(retried).then().body("attempts.size()", equalTo(2))
                .body("attempts[0].result", equalTo("failed"))
                .body("attempts[0].failureClass", equalTo("infra"))
                .body("attempts[0].runner.attempt", equalTo(1))
                .body("attempts[1].result", equalTo("succeeded"))
                .body("attempts[1].runner.externalId", equalTo(String.valueOf(first.id())))
                .body("attempts[1].runner.attempt", equalTo(2));

        // charlie keeps the default policy (infra and timeout): a failed step is the commit's fault, not retried
        String failed = requestBuild("charlie");
        WorkflowRun only = awaitWorkflowRun(failed + "-1");
        awaitRunnerKnown(failed);
        deliver("workflow_run", actions().complete(only.id(), "failure"));
        awaitState(failed, "failed");
        build(failed).then().body("attempts.size()", equalTo(1))
                .body("attempts[0].failureClass", equalTo("build"))
                .body("attempts[0].reason", equalTo("workflow run concluded failure"));
        String sha = build(failed).then().extract().path("sha");
        awaitLatestStatus(sha, "charlie", "failure");
    }

    @Test
    void aRunWhoseHostedRunnerWasLostIsAnInfraFailureAndIsRetried() {
        // GitHub concludes the run failure as for a failed step; its jobs tell the two apart (no step failed)
        String id = requestBuild("lima");
        WorkflowRun run = awaitWorkflowRun(id + "-1");
        awaitRunnerKnown(id);
        deliver("workflow_run", actions().markInProgress(run.id()));
        deliver("workflow_run", actions().loseRunner(run.id()));

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> actions().run(run.id()).orElseThrow().runAttempt() == 2);
        build(id).then().body("attempts[0].failureClass", equalTo("infra"))
                .body("attempts[0].reason", org.hamcrest.Matchers.containsString("runner"));
        deliver("workflow_run", actions().complete(run.id(), "success"));
        awaitState(id, "succeeded");
        assertEquals(1, GitHubModeBuildsProfile.DoubleResource.github.ledger().requests().stream()
                .filter(r -> r.path().startsWith("/repos/" + OWNER_NAME + "/actions/runs/" + run.id()
                        + "/attempts/1/jobs"))
                .count(), "one read of the failed attempt's jobs");
    }

    @Test
    void aBuildWhoseWebhooksWereLostIsSettledByReconciliation() {
        String id = requestBuild("delta");
        WorkflowRun run = awaitWorkflowRun(id + "-1");
        awaitRunnerKnown(id);

        actions().markInProgress(run.id()); // GitHub does not redeliver: nobody tells build-service
        awaitState(id, "running");
        actions().complete(run.id(), "success");

        awaitState(id, "succeeded");
        build(id).then().body("attempts[0].runner.externalId", equalTo(String.valueOf(run.id())));
    }

    @Test
    void aDispatchWhoseAnswerWasLostIsNotDispatchedAgain() throws Exception {
        // GitHub creates the workflow run but the answer never arrives: the attempt stays dispatched, and the
        // reconciliation finds the run by its title instead of dispatching another
        GitHubModeBuildsProfile.DoubleResource.github.applyNextWritesUnanswered(1, Duration.ZERO,
                "/repos/[^/]+/[^/]+/actions/workflows/build-echo\\.yml/dispatches");
        String id = requestBuild("echo");
        WorkflowRun run = awaitWorkflowRun(id + "-1");
        awaitRunnerKnown(id); // learnt from the listing, not from the lost answer
        build(id).then().body("state", equalTo("dispatched"))
                .body("attempts[0].runner.externalId", equalTo(String.valueOf(run.id())));

        Thread.sleep(3_000); // several reconciliations
        assertEquals(1, runsTitled(id + "-1").size(), "dispatched once");
        assertEquals(1, runsTitled(id).size(), "no second attempt");

        deliver("workflow_run", actions().complete(run.id(), "success")).body("handled", equalTo(true));
        awaitState(id, "succeeded");
        assertEquals(1, runsTitled(id).size());
    }

    @Test
    void aCommitStatusGitHubDoesNotTakeIsPostedLaterAndNeverHoldsTheBuild() {
        GitHubDouble github = GitHubModeBuildsProfile.DoubleResource.github;
        String statuses = "/repos/[^/]+/[^/]+/statuses/[0-9a-f]+";
        github.failNextWrites(4, false, statuses); // GitHub answers 502 to the statuses for a while

        String id = requestBuild("foxtrot");
        String sha = build(id).then().extract().path("sha");
        WorkflowRun run = awaitWorkflowRun(id + "-1");
        awaitRunnerKnown(id);
        deliver("workflow_run", actions().complete(run.id(), "success"));
        awaitState(id, "succeeded"); // the build went on while its status could not be posted

        // pending may have been overtaken by the end while GitHub refused: only the latest is worth posting
        awaitLatestStatus(sha, "foxtrot", "success");
        assertTrue(github.ledger().requests().stream().filter(r -> r.path().matches(statuses))
                .filter(r -> r.status() == 502).count() >= 4, "the statuses were refused, then posted again");

        // GitHub's limit: 1,000 statuses per commit and context; past it a status is refused for good (422), not
        // tried again and again, and the build is not affected
        int already = github.statuses().of(OWNER_NAME, sha, "monkeytown/build/foxtrot").size();
        github.statuses().fill(OWNER_NAME, sha, "monkeytown/build/foxtrot", "success",
                HostedStatuses.LIMIT - already);
        long postsBefore = github.ledger().requests().stream().filter(r -> r.path().matches(statuses)).count();
        String again = requestBuild("foxtrot");
        WorkflowRun second = awaitWorkflowRun(again + "-1");
        awaitRunnerKnown(again);
        deliver("workflow_run", actions().complete(second.id(), "success"));
        awaitState(again, "succeeded");
        await().atMost(PATIENCE).until(() -> github.ledger().requests().stream()
                .filter(r -> r.path().matches(statuses)).filter(r -> r.status() == 422).count() == 2);
        sleep(1_000); // status-retry is 200 ms: a retry of a refusal would show by now
        assertEquals(postsBefore + 2, github.ledger().requests().stream().filter(r -> r.path().matches(statuses))
                .count(), "each refused status was tried once");
    }

    @Test
    void theWorkflowRunsArtifactsAreCopiedIntoTheRegistryKeepingTheirPaths() throws Exception {
        String id = requestBuild("golf");
        String sha = build(id).then().extract().path("sha");
        WorkflowRun run = awaitWorkflowRun(id + "-1");
        awaitRunnerKnown(id);
        byte[] page = ("<h1>" + id + "</h1>").getBytes(StandardCharsets.UTF_8);
        byte[] notes = "built on GitHub Actions\n".getBytes(StandardCharsets.UTF_8);
        // upload-artifact with name: dist, path: dist/ keeps the paths below dist/; logs are not declared outputs
        GitHubModeBuildsProfile.DoubleResource.github.artifacts().upload(OWNER_NAME, run.id(), "dist",
                Map.of("site/index.html", page, "notes.txt", notes));
        GitHubModeBuildsProfile.DoubleResource.github.artifacts().upload(OWNER_NAME, run.id(), "logs",
                Map.of("test.log", "ok".getBytes(StandardCharsets.UTF_8)));

        deliver("workflow_run", actions().complete(run.id(), "success"));
        awaitState(id, "succeeded");

        JsonPath built = build(id).then().extract().jsonPath();
        assertEquals(List.of("dist/notes.txt", "dist/site/index.html"), built.getList("outputs.path"));
        assertEquals(List.of(sha256(notes), sha256(page)), built.getList("outputs.digest"));
        assertEquals("builds/golf", built.getString("artifact.repository"));
        assertEquals(List.of(sha, id), built.getList("artifact.tags"));

        // the registry has the artifact under the commit's tag, one layer per file titled with its path
        String registry = ConfigProvider.getConfig().getValue("monkeytown.build.artifacts.url", String.class);
        JsonPath manifest = given().baseUri(registry).accept("application/vnd.oci.image.manifest.v1+json")
                .get("/v2/builds/golf/manifests/" + sha).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("dist/notes.txt", "dist/site/index.html"),
                manifest.getList("layers.annotations.'org.opencontainers.image.title'"));
        byte[] stored = given().baseUri(registry).get("/v2/builds/golf/blobs/" + sha256(page)).then().statusCode(200)
                .extract().asByteArray();
        assertEquals(new String(page, StandardCharsets.UTF_8), new String(stored, StandardCharsets.UTF_8));
    }

    @Test
    void anArtifactThatExpiredBeforeItWasCopiedFailsTheAttemptAsInfra() {
        String id = requestBuild("hotel");
        WorkflowRun run = awaitWorkflowRun(id + "-1");
        awaitRunnerKnown(id);
        long artifact = GitHubModeBuildsProfile.DoubleResource.github.artifacts().upload(OWNER_NAME, run.id(), "dist",
                Map.of("a.txt", new byte[]{1}));
        GitHubModeBuildsProfile.DoubleResource.github.artifacts().expire(artifact);

        deliver("workflow_run", actions().complete(run.id(), "success"));
        awaitState(id, "failed");
        build(id).then().body("attempts[0].failureClass", equalTo("infra"))
                .body("attempts[0].reason", org.hamcrest.Matchers.containsString("expired"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static final String OWNER_NAME = GitHubModeBuildsProfile.OWNER + "/" + GitHubModeBuildsProfile.NAME;

    static HostedStatuses.CommitStatus awaitStatus(String sha, String pipeline, int count) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<HostedStatuses.CommitStatus> all = GitHubModeBuildsProfile.DoubleResource.github.statuses()
                    .of(OWNER_NAME, sha, "monkeytown/build/" + pipeline);
            return all.size() >= count ? all.get(count - 1) : null;
        }, status -> status != null);
    }

    static void awaitLatestStatus(String sha, String pipeline, String state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> GitHubModeBuildsProfile.DoubleResource.github.statuses()
                        .latest(OWNER_NAME, sha, "monkeytown/build/" + pipeline)
                        .map(HostedStatuses.CommitStatus::state).orElse(""), state::equals);
    }

    static String sha256(byte[] content) throws Exception {
        return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(content));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static HostedActions actions() {
        return GitHubModeBuildsProfile.DoubleResource.repository.actions();
    }

    static RequestSpecification api() {
        return given().header("X-Monkeytown-Internal-Token",
                ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class));
    }

    static ValidatableResponse deliver(String event, ObjectNode payload) {
        return api().header("X-GitHub-Event", event).header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(payload.toString())
                .post("/internal/webhooks/github").then().statusCode(202);
    }

    /** GitHub's push example, moved to this repository's branch and commits. */
    static ObjectNode push(String branch, String before, String after) {
        ObjectNode push = WebhookExamples.load("push");
        push.put("ref", "refs/heads/" + branch).put("before", before).put("after", after).put("created", false)
                .put("deleted", false);
        ((ObjectNode) push.get("repository")).put("full_name", GitHubModeBuildsProfile.OWNER + "/"
                + GitHubModeBuildsProfile.NAME);
        ObjectNode commit = push.putObject("head_commit");
        commit.put("id", after).put("tree_id", treeOf(after));
        return push;
    }

    static String treeOf(String sha) {
        return GitHubModeBuildsProfile.DoubleResource.repository.objects().find(sha, GitObjects.Commit.class)
                .orElseThrow().tree();
    }

    static String requestBuild(String pipeline) {
        return api().contentType(ContentType.JSON).body("{}").post("/api/v1/pipelines/" + pipeline + "/builds")
                .then().statusCode(202).extract().path("id");
    }

    static io.restassured.response.Response build(String id) {
        return api().get("/api/v1/builds/" + id);
    }

    static List<Map<String, Object>> buildsOf(String pipeline) {
        return api().queryParam("pipeline", pipeline).queryParam("limit", 200).get("/api/v1/builds").then()
                .statusCode(200).extract().path("builds");
    }

    static String newestBuild(String pipeline, String sha) {
        return await().atMost(PATIENCE).until(() -> buildsOf(pipeline).stream()
                .filter(b -> sha.equals(b.get("sha"))).map(b -> (String) b.get("id")).findFirst().orElse(null),
                id -> id != null);
    }

    static List<WorkflowRun> runsTitled(String runId) {
        return actions().runs().stream().filter(r -> r.displayTitle().contains(runId)).toList();
    }

    static WorkflowRun awaitWorkflowRun(String runId) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> actions().runs().stream().filter(r -> List.of(r.displayTitle().split(" "))
                        .contains(runId)).findFirst().orElse(null), run -> run != null);
    }

    /** The attempt's workflow run id is recorded: a webhook about it can be matched from now on. */
    static void awaitRunnerKnown(String id) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonPath build = build(id).then().extract().jsonPath();
            List<Map<String, Object>> attempts = build.getList("attempts");
            Object runner = attempts.get(attempts.size() - 1).get("runner");
            return runner instanceof Map<?, ?> ref && ref.get("externalId") != null;
        });
    }

    static void awaitState(String id, String state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> build(id).then().extract().path("state"), state::equals);
    }
}
