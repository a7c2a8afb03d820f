package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Deployments made by GitHub Actions for a job that names an environment, read through the Deployments API. */
class DeploymentsApiTest {

    static final String DEPLOY = """
            name: deploy staging
            run-name: "deploy staging ${{ inputs.deployment_id }}"
            on:
              workflow_dispatch:
                inputs:
                  deployment_id:
                    required: true
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - run: ./deploy.sh
            """;
    private static final String DISPATCHES = "/repos/acme/town/actions/workflows/deploy-staging.yml/dispatches";

    private final GitHubDouble github = GitHubDouble.start();
    private final HttpClient http = HttpClient.newHttpClient();
    private HostedRepository repo;
    private boolean violationsExpected;

    @BeforeEach
    void declareWorkflows() {
        repo = github.repository("acme", "town");
        repo.commitFiles("main", Map.of(".github/workflows/deploy-staging.yml", DEPLOY,
                ".github/workflows/ci.yml", "name: ci\non: [push, workflow_dispatch]\njobs:\n  t:\n    runs-on: x\n"),
                "workflows");
    }

    @AfterEach
    void stop() {
        if (violationsExpected) {
            github.close();
            return;
        }
        github.closeRequiringValidRequests();
    }

    @Test
    void aJobNamingAnEnvironmentGetsOneDeploymentWhoseStatusesFollowTheRun() throws Exception {
        assertEquals(204, send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"deployment_id\":\"d1\"}}")
                .statusCode());
        WorkflowRun run = repo.actions().runs().get(0);
        HostedDeployments.HostedDeployment deployment = repo.deployments().forRun(run.id()).orElseThrow();
        assertEquals("staging", deployment.environment());
        assertEquals(run.headSha(), deployment.sha());

        repo.actions().markInProgress(run.id());
        repo.actions().complete(run.id(), "success");

        JsonNode listed = json(send("GET", "/repos/acme/town/deployments?environment=staging&sha=" + run.headSha(),
                null));
        assertEquals(1, listed.size());
        assertEquals(deployment.id(), listed.get(0).get("id").asLong());
        assertEquals("deploy", listed.get(0).get("task").asText());
        assertEquals("github-actions[bot]", listed.get(0).at("/creator/login").asText());
        assertEquals(0, json(send("GET", "/repos/acme/town/deployments?environment=production", null)).size());
        assertEquals(deployment.id(), json(send("GET", "/repos/acme/town/deployments/" + deployment.id(), null))
                .get("id").asLong());
        JsonNode statuses = json(send("GET", "/repos/acme/town/deployments/" + deployment.id() + "/statuses", null));
        assertEquals(List.of("success", "in_progress", "queued"), states(statuses));
        assertTrue(statuses.get(0).get("log_url").asText().contains("/actions/runs/" + run.id() + "/"));

        List<ObjectNode> webhooks = repo.deployments().takeWebhooks();
        assertEquals(List.of("queued", "in_progress", "success"),
                webhooks.stream().map(w -> w.at("/deployment_status/state").asText()).toList());
        ObjectNode last = webhooks.get(2);
        assertEquals("created", last.get("action").asText());
        assertEquals(run.id(), last.at("/workflow_run/id").asLong());
        assertEquals(deployment.id(), last.at("/deployment/id").asLong());
        assertEquals("acme/town", last.at("/repository/full_name").asText());
        assertTrue(repo.deployments().takeWebhooks().isEmpty(), "taken once");
        assertEquals(404, send("GET", "/repos/acme/town/deployments/999999", null).statusCode());
    }

    @Test
    void requiredReviewersHoldTheDeploymentWaitingUntilApproved() throws Exception {
        repo.deployments().requireReviewers("staging");
        send("POST", DISPATCHES, "{\"ref\":\"main\",\"inputs\":{\"deployment_id\":\"d2\"}}");
        WorkflowRun run = repo.actions().runs().get(0);
        long id = repo.deployments().forRun(run.id()).orElseThrow().id();
        assertEquals("waiting", repo.deployments().statuses(id).get(0).state());
        assertEquals("queued", repo.deployments().approve(run.id()).at("/deployment_status/state").asText());
        repo.actions().complete(run.id(), "failure");
        assertEquals(List.of("failure", "queued", "waiting"),
                repo.deployments().statuses(id).stream().map(HostedDeployments.Status::state).toList());
    }

    @Test
    void aRunWithoutAnEnvironmentMakesNoDeploymentAndCreatingOneIsNotServed() throws Exception {
        send("POST", "/repos/acme/town/actions/workflows/ci.yml/dispatches", "{\"ref\":\"main\"}");
        assertTrue(repo.deployments().all().isEmpty());
        assertFalse(repo.actions().runs().isEmpty());
        send("POST", "/repos/acme/town/deployments", "{\"ref\":\"main\",\"environment\":\"staging\"}");
        violationsExpected = true;
        assertEquals(1, github.violations().size(), github.violations().toString());
    }

    private static List<String> states(JsonNode statuses) {
        List<String> states = new java.util.ArrayList<>();
        statuses.forEach(s -> states.add(s.get("state").asText()));
        return states;
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", "token t")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }
}
