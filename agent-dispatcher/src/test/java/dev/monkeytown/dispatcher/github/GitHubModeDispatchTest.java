package dev.monkeytown.dispatcher.github;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.github.testdouble.HostedActions;
import dev.monkeytown.github.testdouble.WebhookExamples;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.kit.testing.Management;

/**
 * The dispatcher end to end in GitHub mode: runs become workflow runs on the GitHub double, progress arrives as
 * {@code workflow_run} webhooks or, when those are lost or GitHub is down, through reconciliation.
 */
@QuarkusTest
@TestProfile(GitHubModeDispatchProfile.class)
class GitHubModeDispatchTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /**
     * On a busy machine the writer takeover can finish after Quarkus reports started; until it does the dispatcher
     * answers 503 "starting" (as it should), which is not what these tests are about.
     */
    @org.junit.jupiter.api.BeforeEach
    void dispatcherIsReady() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aRunBecomesAWorkflowRunAndFollowsItsWebhooks() {
        String id = requestRun("alpha");
        WorkflowRun workflowRun = awaitWorkflowRun(id);
        assertTrue(workflowRun.displayTitle().contains(id), workflowRun.displayTitle());
        awaitRunnerAccepted(id);

        deliver(actions().markInProgress(workflowRun.id())).body("handled", equalTo(true));
        awaitState(id, "running");
        deliver(actions().complete(workflowRun.id(), "success"));
        awaitState(id, "succeeded");

        run(id).then().body("runner.kind", equalTo("github-actions"))
                .body("runner.externalId", equalTo(String.valueOf(workflowRun.id())))
                .body("startedAt", notNullValue())
                .body("finishedAt", notNullValue());
    }

    @Test
    void reconciliationFinishesARunWhoseWebhooksWereLost() {
        String id = requestRun("bravo");
        WorkflowRun workflowRun = awaitWorkflowRun(id);
        awaitRunnerAccepted(id);

        actions().complete(workflowRun.id(), "failure"); // GitHub does not redeliver: nobody tells the dispatcher

        awaitState(id, "failed");
        run(id).then().body("reason", containsString("failure"))
                .body("runner.externalId", equalTo(String.valueOf(workflowRun.id())));
    }

    @Test
    void anOutagePausesDispatchAndReconciliationCatchesUpAfterwards() {
        String first = requestRun("charlie");
        WorkflowRun firstAtGitHub = awaitWorkflowRun(first);
        awaitRunnerAccepted(first);
        String second = requestRun("charlie");
        assertEquals("queued", state(second), "one run of an agent at a time");

        GitHubModeDispatchProfile.DoubleResource.github.takeDown();
        try {
            actions().complete(firstAtGitHub.id(), "success"); // finished while nobody could ask

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> Management.given()
                    .get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'dispatch' }.data.status", equalTo("degraded"))
                    .body("checks.find { it.name == 'state-store' }.data.status", equalTo("degraded")));
            // reads are served from memory while GitHub is away, and nothing moved
            assertEquals("queued", state(second));
            assertEquals("dispatched", state(first));
            assertTrue(runsFor(second).isEmpty(), "nothing dispatched during the outage");
        } finally {
            GitHubModeDispatchProfile.DoubleResource.github.bringBack();
        }

        awaitState(first, "succeeded");
        WorkflowRun secondAtGitHub = awaitWorkflowRun(second);
        awaitRunnerAccepted(second);
        assertEquals(1, runsFor(first).size(), "one workflow run per Monkeytown run");
        assertEquals(1, runsFor(second).size(), "one workflow run per Monkeytown run");
        run(second).then().body("runner.externalId", equalTo(String.valueOf(secondAtGitHub.id())));
        await().atMost(PATIENCE).untilAsserted(() -> Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'dispatch' }.data.status", equalTo("dispatching")));

        actions().complete(secondAtGitHub.id(), "success"); // leave nothing active for the other tests
        awaitState(second, "succeeded");
    }

    @Test
    void cancellingAnActiveRunCancelsItsWorkflowRun() {
        String id = requestRun("delta");
        WorkflowRun workflowRun = awaitWorkflowRun(id);
        awaitRunnerAccepted(id);

        api().post("/api/v1/runs/" + id + "/cancel").then().statusCode(200).body("state", equalTo("cancelled"));

        await().atMost(PATIENCE).until(() -> actions().run(workflowRun.id()).orElseThrow().completed());
        assertEquals(Optional.of("cancelled"), actions().run(workflowRun.id()).orElseThrow().conclusion());
        run(id).then().body("state", equalTo("cancelled")).body("reason", containsString("cancelled by"));
    }

    @Test
    void aPushNoWebhookReportedIsCaughtUpFromTheDefaultBranch() {
        String head = GitHubModeDispatchProfile.DoubleResource.repository.commitFiles("main",
                Map.of("docs/missed-" + UUID.randomUUID() + ".md", "nobody told the dispatcher"), "docs change");

        // GitHub does not redeliver a push the dispatcher missed: the poll of the default branch finds it
        Map<String, Object> run = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .until(() -> onChangeRunOf("echo", head), Optional::isPresent).orElseThrow();
        @SuppressWarnings("unchecked")
        List<String> paths = (List<String>) ((Map<String, Object>) run.get("trigger")).get("changedPaths");
        assertTrue(paths.stream().anyMatch(path -> path.startsWith("docs/missed-")), paths.toString());
        finishAll("echo");
    }

    @Test
    void aPushWhoseRunsCannotBeRecordedIsNotAcknowledged() {
        String processed = GitHubModeDispatchProfile.DoubleResource.repository.ref("refs/heads/main").orElseThrow();
        ObjectNode push = WebhookExamples.load("push", GitHubModeDispatchProfile.REPOSITORY);
        push.put("ref", "refs/heads/main").put("before", processed).put("after", "f".repeat(40));
        ObjectNode commit = push.putArray("commits").addObject();
        commit.putArray("added").add("docs/unrecorded.md");
        commit.putArray("modified");
        commit.putArray("removed");

        GitHubModeDispatchProfile.DoubleResource.github.takeDown();
        try {
            // the gateway delivers it again on a 503; a 202 here would lose the push for good
            api().header("X-GitHub-Event", "push").contentType(ContentType.JSON).body(push.toString())
                    .post("/internal/webhooks/github").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", notNullValue());
        } finally {
            GitHubModeDispatchProfile.DoubleResource.github.bringBack();
        }
        assertTrue(onChangeRunOf("echo", "f".repeat(40)).isEmpty(), "nothing was recorded");
    }

    @Test
    void aPushToAnotherRepositorysMainIsNotOurs() {
        String processed = GitHubModeDispatchProfile.DoubleResource.repository.ref("refs/heads/main").orElseThrow();
        // one GitHub App may deliver the events of several repositories: GitHub's example names its own
        ObjectNode push = WebhookExamples.load("push");
        push.put("ref", "refs/heads/main").put("before", processed).put("after", "e".repeat(40));
        ObjectNode commit = push.putArray("commits").addObject();
        commit.putArray("added").add("docs/elsewhere.md");
        commit.putArray("modified");
        commit.putArray("removed");

        api().header("X-GitHub-Event", "push").contentType(ContentType.JSON).body(push.toString())
                .post("/internal/webhooks/github").then().statusCode(202).body("handled", equalTo(false))
                .body("note", org.hamcrest.Matchers.containsString("Codertocat/Hello-World"));
        assertTrue(onChangeRunOf("echo", "e".repeat(40)).isEmpty(), "no run for another repository's commit");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static Optional<Map<String, Object>> onChangeRunOf(String agent, String commit) {
        List<Map<String, Object>> runs = api().queryParam("agent", agent).queryParam("limit", 200)
                .get("/api/v1/runs").then().statusCode(200).extract().path("runs");
        return runs.stream().filter(run -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> trigger = (Map<String, Object>) run.get("trigger");
            return "on_change".equals(trigger.get("type")) && commit.equals(trigger.get("commitSha"));
        }).findFirst();
    }

    /** Leaves nothing of the agent active for the other tests. */
    private static void finishAll(String agent) {
        await().atMost(PATIENCE).until(() -> {
            actions().runs().stream().filter(r -> r.displayTitle().contains(agent) && !r.completed())
                    .forEach(r -> actions().complete(r.id(), "success"));
            List<Map<String, Object>> active = api().queryParam("agent", agent).get("/api/v1/runs").then()
                    .extract().path("runs");
            return active.stream().noneMatch(r -> List.of("queued", "dispatched", "running").contains(r.get("state")));
        });
    }

    private static HostedActions actions() {
        return GitHubModeDispatchProfile.DoubleResource.repository.actions();
    }

    private static String requestRun(String agent) {
        return api().post("/api/v1/agents/" + agent + "/runs").then().statusCode(202).extract().path("id");
    }

    private static List<WorkflowRun> runsFor(String runId) {
        return actions().runs().stream().filter(r -> r.displayTitle().contains(runId)).toList();
    }

    private static WorkflowRun awaitWorkflowRun(String runId) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> runsFor(runId), runs -> !runs.isEmpty()).get(0);
    }

    /** Reconciliation only asks GitHub about runs whose start GitHub acknowledged; wait for that to be recorded. */
    private static void awaitRunnerAccepted(String runId) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> JsonPath.from(run(runId).asString()).getString("runner.externalId") != null);
    }

    private static void awaitState(String runId, String expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> state(runId), expected::equals);
    }

    private static String state(String runId) {
        return run(runId).then().statusCode(200).extract().path("state");
    }

    private static Response run(String runId) {
        return api().get("/api/v1/runs/" + runId);
    }

    private static ValidatableResponse deliver(ObjectNode payload) {
        return api().header("X-GitHub-Event", "workflow_run").contentType(ContentType.JSON).body(payload.toString())
                .post("/internal/webhooks/github").then().statusCode(202);
    }

    private static RequestSpecification api() {
        return given().header("X-Monkeytown-Internal-Token",
                ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class));
    }
}
