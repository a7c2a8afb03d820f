package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class StatusesApiTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private final HostedRepository repo = github.repository("acme", "town");
    private boolean refusalExpected;

    @AfterEach
    void stop() {
        if (refusalExpected) {
            github.close();
        } else {
            github.closeRequiringValidRequests();
        }
    }

    @Test
    void aStatusIsCreatedOnTheCommitAndKeptInOrder() throws Exception {
        String sha = repo.commitFiles("main", Map.of("a.txt", "a"), "a");

        HttpResponse<String> pending = client.send("POST", "/repos/acme/town/statuses/" + sha,
                "{\"state\":\"pending\",\"context\":\"monkeytown/build/app\",\"description\":\"running\","
                        + "\"target_url\":\"https://github.com/acme/town/actions/runs/1\"}");
        assertEquals(201, pending.statusCode(), pending.body());
        JsonNode created = DoubleClient.json(pending);
        assertEquals("pending", created.path("state").asText());
        assertEquals("monkeytown/build/app", created.path("context").asText());
        assertEquals("https://github.com/acme/town/actions/runs/1", created.path("target_url").asText());
        assertTrue(pending.headers().firstValue("Location").orElse("").endsWith("/statuses/" + sha));
        client.send("POST", "/repos/acme/town/statuses/" + sha, "{\"state\":\"success\",\"context\":\"MonkeyTown/Build/App\"}");

        List<HostedStatuses.CommitStatus> statuses = github.statuses().of("acme/town", sha, "monkeytown/build/app");
        assertEquals(List.of("pending", "success"), statuses.stream().map(HostedStatuses.CommitStatus::state).toList(),
                "a context is compared without case");
        assertEquals("success", github.statuses().latest("acme/town", sha, "monkeytown/build/app").orElseThrow()
                .state());
        assertEquals(2, github.ledger().costs().writes());
    }

    @Test
    void githubRefusesTheThousandAndFirstStatusOfACommitAndContextAndAnUnknownCommit() throws Exception {
        String sha = repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        github.statuses().fill("acme/town", sha, "ci", "success", HostedStatuses.LIMIT - 1);
        assertEquals(201, client.send("POST", "/repos/acme/town/statuses/" + sha,
                "{\"state\":\"failure\",\"context\":\"ci\"}").statusCode());

        HttpResponse<String> over = client.send("POST", "/repos/acme/town/statuses/" + sha,
                "{\"state\":\"success\",\"context\":\"ci\"}");
        assertEquals(422, over.statusCode());
        assertEquals("This SHA and context has reached the maximum number of statuses.",
                DoubleClient.json(over).path("message").asText());
        // another context of the same commit is not affected
        assertEquals(201, client.send("POST", "/repos/acme/town/statuses/" + sha,
                "{\"state\":\"success\",\"context\":\"other\"}").statusCode());

        HttpResponse<String> unknown = client.send("POST", "/repos/acme/town/statuses/" + "a".repeat(40),
                "{\"state\":\"success\",\"context\":\"ci\"}");
        assertEquals(422, unknown.statusCode());
        assertTrue(DoubleClient.json(unknown).path("message").asText().startsWith("No commit found for SHA"));
    }

    @Test
    void aStateGitHubDoesNotKnowIsRefusedAsInvalid() throws Exception {
        String sha = repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        HttpResponse<String> invalid = client.send("POST", "/repos/acme/town/statuses/" + sha,
                "{\"state\":\"done\",\"context\":\"ci\"}");
        assertEquals(422, invalid.statusCode());
        assertEquals(1, github.violations().size(), github.violations().toString());
        refusalExpected = true; // the violation was the point
    }
}
