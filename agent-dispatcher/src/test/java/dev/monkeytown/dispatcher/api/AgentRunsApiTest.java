package dev.monkeytown.dispatcher.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;

/**
 * The public run API on the embedded default: seeded example agents, the local runner with real subprocesses, the
 * local Git repository, and the event stream.
 */
@QuarkusTest
class AgentRunsApiTest {

    @Inject
    EventLog events;

    @Test
    void listsTheSeededExampleAgents() {
        api().get("/api/v1/agents").then().statusCode(200)
                .body("agents.name", hasItems("greeter", "changelog", "docs-index"))
                .body("agents.find { it.name == 'changelog' }.schedule", equalTo("*/10 * * * *"))
                .body("agents.find { it.name == 'docs-index' }.paths", equalTo(List.of("docs/**")))
                .body("revision", notNullValue())
                .body("problems.size()", is(0));
        api().get("/api/v1/agents/greeter").then().statusCode(200).body("timeout", equalTo("PT1M"));
    }

    @Test
    void aManualRunIsQueuedRunsAndDeliversItsBranch() throws Exception {
        String location = api().post("/api/v1/agents/greeter/runs").then().statusCode(202)
                .header("Location", startsWith("/api/v1/runs/"))
                .body("state", equalTo("queued"))
                .body("agent", equalTo("greeter"))
                .body("trigger.type", equalTo("manual"))
                .body("queuedAt", notNullValue())
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> api().get(location).then().statusCode(200).extract().path("state"),
                        state -> "succeeded".equals(state));
        api().get(location).then().body("runner.kind", equalTo("local"))
                .body("runner.branch", equalTo("agents/greeter/" + id))
                .body("startedAt", notNullValue()).body("finishedAt", notNullValue());

        String note = fileOnBranch("agents/greeter/" + id, "notes/hello-" + id + ".md");
        assertTrue(note.contains(id), note);
        api().get(location + "/log").then().statusCode(200).body(containsString("pushed agents/greeter/" + id));

        List<String> types = events.since(0).events().stream().filter(e -> e.subject().equals(id)).map(Event::type)
                .toList();
        assertEquals(List.of("run.queued", "run.dispatched", "run.started", "run.succeeded"), types);
    }

    @Test
    void runsAreListedNewestFirstAndPaged() {
        String first = queueGreeter();
        String second = queueGreeter();

        String next = api().queryParam("agent", "greeter").queryParam("limit", 1).get("/api/v1/runs").then()
                .statusCode(200).body("runs.size()", is(1)).body("runs[0].id", equalTo(second))
                .extract().path("next");
        assertNotNull(next);
        api().queryParam("agent", "greeter").queryParam("limit", 1).queryParam("cursor", next).get("/api/v1/runs")
                .then().statusCode(200).body("runs[0].id", equalTo(first));
    }

    @Test
    void cancellingAFinishedRunIsAConflict() {
        String id = queueGreeter();
        await().atMost(60, TimeUnit.SECONDS).until(() -> api().get("/api/v1/runs/" + id).then().extract()
                .path("state"), state -> "succeeded".equals(state));

        api().post("/api/v1/runs/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("already ended"));
    }

    @Test
    void badRequestsGetProblemsAndChangeNothing() {
        api().post("/api/v1/agents/nobody/runs").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no agent named 'nobody'"));
        api().get("/api/v1/agents/nobody").then().statusCode(404).contentType("application/problem+json");
        api().get("/api/v1/runs/not-a-run").then().statusCode(404).contentType("application/problem+json");
        api().post("/api/v1/runs/01JZZZZZZZZZZZZZZZZZZZZZZZ/cancel").then().statusCode(404)
                .contentType("application/problem+json");
        api().queryParam("state", "sleeping").get("/api/v1/runs").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("queued, dispatched"));
        api().queryParam("limit", 0).get("/api/v1/runs").then().statusCode(400);
        api().queryParam("limit", "many").get("/api/v1/runs").then().statusCode(400);
        api().queryParam("cursor", "../../etc").get("/api/v1/runs").then().statusCode(400);
        api().queryParam("agent", "Bad Name").get("/api/v1/runs").then().statusCode(400);
    }

    @Test
    void theApiNeedsTheInternalToken() {
        given().get("/api/v1/agents").then().statusCode(401).contentType("application/problem+json");
        given().post("/api/v1/agents/greeter/runs").then().statusCode(401);
    }

    private String queueGreeter() {
        return api().post("/api/v1/agents/greeter/runs").then().statusCode(202).extract().path("id");
    }

    private static RequestSpecification api() {
        return given().header("X-Monkeytown-Internal-Token",
                ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class));
    }

    private static String fileOnBranch(String branch, String path) throws Exception {
        File repository = new File(ConfigProvider.getConfig().getValue("monkeytown.state.local-repository",
                String.class));
        try (Git git = Git.open(repository); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository repo = git.getRepository();
            var commit = walk.parseCommit(repo.resolve("refs/heads/" + branch));
            try (TreeWalk file = TreeWalk.forPath(repo, path, commit.getTree())) {
                assertNotNull(file, path + " on " + branch);
                return new String(repo.open(file.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
