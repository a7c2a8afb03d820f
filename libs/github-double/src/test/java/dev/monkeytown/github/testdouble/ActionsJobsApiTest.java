package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ActionsJobsApiTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private final HostedRepository repo = github.repository("acme", "town");

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void aFailedStepAndALostRunnerBothFailTheJobButOnlyTheStepSaysFailure() throws Exception {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-1", "main");
        JsonNode queued = DoubleClient.json(client.get(jobs(run, 1)));
        assertEquals("queued", queued.at("/jobs/0/status").asText());
        assertEquals(0, queued.at("/jobs/0/steps").size());

        repo.actions().complete(run.id(), "failure");
        JsonNode failed = DoubleClient.json(client.get(jobs(run, 1)));
        assertEquals(1, failed.path("total_count").asInt());
        assertEquals("failure", failed.at("/jobs/0/conclusion").asText());
        assertEquals(List.of("success", "failure", "success"), conclusions(failed.at("/jobs/0/steps")));

        repo.actions().rerunFailedJobs(run.id());
        repo.actions().markInProgress(run.id());
        repo.actions().loseRunner(run.id());
        JsonNode lost = DoubleClient.json(client.get(jobs(run, 2)));
        assertEquals("failure", lost.at("/jobs/0/conclusion").asText());
        assertEquals(2, lost.at("/jobs/0/run_attempt").asInt());
        assertEquals(List.of("success", "cancelled", "skipped"), conclusions(lost.at("/jobs/0/steps")));
        // the earlier attempt keeps its own jobs
        assertEquals(List.of("success", "failure", "success"),
                conclusions(DoubleClient.json(client.get(jobs(run, 1))).at("/jobs/0/steps")));
        assertEquals(404, client.get(jobs(run, 3)).statusCode());
        assertEquals(404, client.get("/repos/acme/town/actions/runs/424242/attempts/1/jobs").statusCode());
    }

    @Test
    void aJobCanFailWithNoStepListed() throws Exception {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", "build b-2", "main");
        repo.actions().markInProgress(run.id());
        repo.actions().failWithoutSteps(run.id());

        JsonNode failed = DoubleClient.json(client.get(jobs(run, 1)));
        assertEquals("failure", failed.at("/jobs/0/conclusion").asText());
        assertEquals(0, failed.at("/jobs/0/steps").size());
    }

    private static List<String> conclusions(JsonNode steps) {
        List<String> all = new ArrayList<>();
        steps.forEach(step -> all.add(step.path("conclusion").asText()));
        return all;
    }

    private static String jobs(WorkflowRun run, int attempt) {
        return "/repos/acme/town/actions/runs/" + run.id() + "/attempts/" + attempt + "/jobs?per_page=100";
    }
}
