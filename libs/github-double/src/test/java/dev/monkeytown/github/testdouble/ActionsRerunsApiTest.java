package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ActionsRerunsApiTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private final HostedRepository repo = github.repository("acme", "town");

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void aFailedRunIsReRunAsItsNextAttemptUnderTheSameIdAndEachAttemptCanBeRead() throws Exception {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-1", "main");
        assertEquals(403, client.send("POST", rerun(run), "").statusCode(), "still going: not re-runnable");
        repo.actions().complete(run.id(), "failure");

        HttpResponse<String> rerun = client.send("POST", rerun(run), "");
        assertEquals(201, rerun.statusCode(), rerun.body());

        WorkflowRun second = repo.actions().run(run.id()).orElseThrow();
        assertEquals(2, second.runAttempt());
        assertEquals("queued", second.status());
        assertEquals(run.displayTitle(), second.displayTitle());
        JsonNode current = DoubleClient.json(client.get("/repos/acme/town/actions/runs/" + run.id()));
        assertEquals(2, current.path("run_attempt").asInt());
        assertTrue(current.path("previous_attempt_url").asText().endsWith("/attempts/1"));
        JsonNode first = DoubleClient.json(client.get("/repos/acme/town/actions/runs/" + run.id() + "/attempts/1"));
        assertEquals(1, first.path("run_attempt").asInt());
        assertEquals("failure", first.path("conclusion").asText());
        assertEquals(404, client.get("/repos/acme/town/actions/runs/" + run.id() + "/attempts/3").statusCode());
        assertEquals(2, WebhookExamples.workflowRun("requested", "acme/town", second).path("workflow_run")
                .path("run_attempt").asInt());

        repo.actions().complete(run.id(), "success");
        assertEquals(403, client.send("POST", rerun(run), "").statusCode(), "nothing failed: nothing to re-run");
        assertEquals(404, client.send("POST", "/repos/acme/town/actions/runs/424242/rerun-failed-jobs", "")
                .statusCode());
    }

    private static String rerun(WorkflowRun run) {
        return "/repos/acme/town/actions/runs/" + run.id() + "/rerun-failed-jobs";
    }
}
