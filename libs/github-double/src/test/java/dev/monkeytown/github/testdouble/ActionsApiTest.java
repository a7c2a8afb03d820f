package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.github.testdouble.CallLedger.Costs;

class ActionsApiTest {

    static final String WORKFLOW = """
            name: agent docs
            run-name: "agent docs ${{ inputs.run_id }}"
            on:
              workflow_dispatch:
                inputs:
                  run_id:
                    required: true
            jobs:
              run:
                runs-on: ubuntu-latest
                steps:
                  - run: echo hi
            """;
    private static final String DISPATCHES = "/repos/acme/town/actions/workflows/agent-docs.yml/dispatches";

    private final GitHubDouble github = GitHubDouble.start();
    private final HttpClient http = HttpClient.newHttpClient();
    private HostedRepository repo;

    @BeforeEach
    void declareWorkflows() {
        repo = github.repository("acme", "town");
        repo.commitFiles("main", Map.of(".github/workflows/agent-docs.yml", WORKFLOW,
                ".github/workflows/ci.yml", "name: ci\non: push\n"), "workflows");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void dispatchQueuesARunTitledByItsRunNameAndReturnsItsDetails() throws Exception {
        HttpResponse<String> response = send("POST", DISPATCHES,
                "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"01JD0000000000000000000000\"},\"return_run_details\":true}");

        assertEquals(200, response.statusCode(), response.body());
        WorkflowRun run = repo.actions().runs().get(0);
        assertEquals("agent docs 01JD0000000000000000000000", run.displayTitle());
        assertEquals("queued", run.status());
        assertEquals("workflow_dispatch", run.event());
        assertEquals(repo.ref("refs/heads/main").orElseThrow(), run.headSha());
        JsonNode details = json(response);
        assertEquals(run.id(), details.get("workflow_run_id").asLong());
        assertEquals("https://github.com/acme/town/actions/runs/" + run.id(), details.get("html_url").asText());
        assertEquals(new Costs(0, 0, 0, 1, 0), github.ledger().costs());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void dispatchWithoutRunDetailsIsA204() throws Exception {
        assertEquals(204, send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"x\"}}").statusCode());
        repo.actions().omitRunDetails(true);
        assertEquals(204, send("POST", DISPATCHES,
                "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"y\"},\"return_run_details\":true}").statusCode());
        assertEquals(2, repo.actions().runs().size());
        assertEquals("agent docs y", repo.actions().runs().get(0).displayTitle());
    }

    @Test
    void dispatchIsRefusedAsGitHubRefusesIt() throws Exception {
        assertEquals(404, send("POST", "/repos/acme/town/actions/workflows/agent-none.yml/dispatches",
                "{\"ref\":\"main\"}").statusCode());
        HttpResponse<String> noTrigger = send("POST", "/repos/acme/town/actions/workflows/ci.yml/dispatches",
                "{\"ref\":\"main\"}");
        assertEquals(422, noTrigger.statusCode());
        assertEquals("Workflow does not have 'workflow_dispatch' trigger", json(noTrigger).get("message").asText());
        HttpResponse<String> badInput = send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"who\":\"me\"}}");
        assertEquals(422, badInput.statusCode());
        assertEquals("Unexpected inputs provided: [\"who\"]", json(badInput).get("message").asText());
        assertEquals(422, send("POST", DISPATCHES, "{\"ref\":\"nowhere\"}").statusCode());
        assertTrue(repo.actions().runs().isEmpty());
        assertEquals(List.of(), github.violations());

        send("POST", DISPATCHES, "{\"inputs\":{}}"); // no ref: against GitHub's schema
        assertFalse(github.violations().isEmpty());
    }

    @Test
    void anUnchangedRunIsRevalidatedWithA304() throws Exception {
        send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"a\"}}");
        long id = repo.actions().runs().get(0).id();
        String path = "/repos/acme/town/actions/runs/" + id;

        HttpResponse<String> first = send("GET", path, null);
        assertEquals("queued", json(first).get("status").asText());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get(path, etag).statusCode());

        repo.actions().markInProgress(id);
        HttpResponse<String> moved = get(path, etag);
        assertEquals(200, moved.statusCode());
        assertEquals("in_progress", json(moved).get("status").asText());
        assertEquals(new Costs(3, 2, 1, 1, 0), github.ledger().costs());
        assertEquals(404, send("GET", "/repos/acme/town/actions/runs/999999", null).statusCode());
    }

    @Test
    void runsOfAWorkflowAreFilteredByEventAndCreationTime() throws Exception {
        send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"a\"}}");
        send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"b\"}}");
        String today = Instant.now().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        String tomorrow = Instant.now().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        String runs = "/repos/acme/town/actions/workflows/agent-docs.yml/runs?event=workflow_dispatch&created=";

        JsonNode listed = json(send("GET", runs + "%3E%3D" + today, null));
        assertEquals(2, listed.get("total_count").asInt());
        assertEquals("agent docs b", listed.at("/workflow_runs/0/display_title").asText()); // newest first
        assertEquals(0, json(send("GET", runs + "%3E%3D" + tomorrow, null)).get("total_count").asInt());
        assertEquals(0, json(send("GET", "/repos/acme/town/actions/workflows/agent-docs.yml/runs?event=push", null))
                .get("total_count").asInt());
        JsonNode workflows = json(send("GET", "/repos/acme/town/actions/workflows", null));
        assertEquals(2, workflows.get("total_count").asInt());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void theListingCanTrailADispatchGitHubAlreadyAccepted() throws Exception {
        String runs = "/repos/acme/town/actions/workflows/agent-docs.yml/runs?event=workflow_dispatch";
        repo.actions().lagListing(Duration.ofHours(1));

        assertEquals(204, send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"a\"}}").statusCode());
        long id = repo.actions().runs().get(0).id();

        assertEquals(0, json(send("GET", runs, null)).get("total_count").asInt(), "not listed yet");
        assertEquals(200, send("GET", "/repos/acme/town/actions/runs/" + id, null).statusCode(), "read by id at once");
        repo.actions().lagListing(Duration.ZERO);
        JsonNode listed = json(send("GET", runs, null));
        assertEquals(1, listed.get("total_count").asInt());
        assertEquals(id, listed.at("/workflow_runs/0/id").asLong());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void runsStartedByOtherEventsCarryTheirOwnEventAndTitle() throws Exception {
        WorkflowRun ci = repo.actions().trigger("pull_request", "ci.yml", "Fix flaky test 01JD0000000000000000000000",
                "main");

        JsonNode completed = repo.actions().complete(ci.id(), "failure");

        assertEquals("pull_request", completed.at("/workflow_run/event").asText());
        assertEquals(".github/workflows/ci.yml", completed.at("/workflow_run/path").asText());
        assertEquals("Fix flaky test 01JD0000000000000000000000", completed.at("/workflow_run/display_title").asText());
        JsonNode listed = json(send("GET", "/repos/acme/town/actions/workflows/ci.yml/runs?event=workflow_dispatch",
                null));
        assertEquals(0, listed.get("total_count").asInt(), "a dispatch listing leaves it out");
        assertEquals(List.of(), github.violations());
    }

    @Test
    void cancelCompletesARunOnceThenConflicts() throws Exception {
        send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"a\"}}");
        long id = repo.actions().runs().get(0).id();
        String cancel = "/repos/acme/town/actions/runs/" + id + "/cancel";

        assertEquals(202, send("POST", cancel, null).statusCode());
        assertEquals(Map.of("status", "completed", "conclusion", "cancelled"),
                Map.of("status", repo.actions().run(id).orElseThrow().status(), "conclusion",
                        repo.actions().run(id).orElseThrow().conclusion().orElseThrow()));
        assertEquals(409, send("POST", cancel, null).statusCode());
        assertEquals(404, send("POST", "/repos/acme/town/actions/runs/1/cancel", null).statusCode());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void faultsApplyToActionsToo() throws Exception {
        github.answerUnavailable(true);
        assertEquals(503, send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"a\"}}").statusCode());
        github.answerUnavailable(false);
        github.limit(RateLimitFault.SECONDARY_429, Duration.ofSeconds(2));
        assertEquals(429, send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"run_id\":\"a\"}}").statusCode());
        assertEquals(1, github.ledger().costs().rejected());
        assertTrue(repo.actions().runs().isEmpty());
    }

    @Test
    void webhookPayloadsCarryTheRunsOwnFields() {
        WorkflowRun queued = repo.actions().dispatch("agent-docs.yml", "agent docs", "agent docs 01JD", "main",
                repo.ref("refs/heads/main").orElseThrow());

        JsonNode requested = repo.actions().webhook(queued.id());
        JsonNode inProgress = repo.actions().markInProgress(queued.id());
        JsonNode completed = repo.actions().complete(queued.id(), "failure");

        assertEquals("requested", requested.get("action").asText());
        assertEquals("queued", requested.at("/workflow_run/status").asText());
        assertEquals("in_progress", inProgress.get("action").asText());
        assertEquals("in_progress", inProgress.at("/workflow_run/status").asText());
        assertEquals("completed", completed.get("action").asText());
        assertEquals("failure", completed.at("/workflow_run/conclusion").asText());
        for (JsonNode payload : List.of(requested, inProgress, completed)) {
            assertEquals(queued.id(), payload.at("/workflow_run/id").asLong());
            assertEquals("agent docs 01JD", payload.at("/workflow_run/display_title").asText());
            assertEquals("acme/town", payload.at("/repository/full_name").asText());
            assertEquals("town", payload.at("/repository/name").asText());
            assertEquals("acme/town", payload.at("/workflow_run/repository/full_name").asText());
            assertEquals(".github/workflows/agent-docs.yml", payload.at("/workflow/path").asText());
            assertEquals("workflow_dispatch", payload.at("/workflow_run/event").asText());
            assertFalse(payload.toString().contains("octo-org/octo-repo"), payload.toString());
            assertFalse(payload.toString().contains("289782451"));
            // fields nobody replaced still come from GitHub's example
            assertTrue(payload.has("sender") && payload.path("workflow_run").has("check_suite_id"));
        }
        assertEquals(repo.actions().run(queued.id()).orElseThrow().updatedAt().toString(),
                completed.at("/workflow_run/updated_at").asText());
    }

    @Test
    void rawExamplesCanBeLoadedByName() {
        assertEquals("refs/heads/master", WebhookExamples.load("push").get("ref").asText());
        assertEquals("requested", WebhookExamples.load("workflow_run.requested").get("action").asText());
        assertEquals("completed", WebhookExamples.load("workflow_run.completed").get("action").asText());
    }

    private HttpResponse<String> get(String path, String etag) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", "token t")
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", "token t")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }
}
