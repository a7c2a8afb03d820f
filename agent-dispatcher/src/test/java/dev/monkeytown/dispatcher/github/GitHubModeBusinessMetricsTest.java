package dev.monkeytown.dispatcher.github;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.monkeytown.github.testdouble.WebhookExamples;
import dev.monkeytown.kit.testing.Management;

/**
 * The business metrics in GitHub mode, fed by {@code pull_request} and {@code push} webhooks as the gateway forwards
 * them (GitHub's published example payloads), each delivery counted once.
 */
@QuarkusTest
@TestProfile(GitHubModeDispatchProfile.class)
class GitHubModeBusinessMetricsTest {

    @Inject
    MeterRegistry meters;

    @BeforeEach
    void dispatcherIsReady() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void pullRequestsOpenedAndMergedCountOncePerDeliveryByAuthorKind() {
        double agentOpened = count("monkeytown.pull.requests.opened", "author", "agent");
        double humanOpened = count("monkeytown.pull.requests.opened", "author", "human");
        double agentMerged = count("monkeytown.pull.requests.merged", "author", "agent");
        double mergedFiles = count("monkeytown.pull.requests.merged.files", "author", "agent");
        double added = count("monkeytown.pull.requests.merged.lines.added", "author", "agent");
        double deleted = count("monkeytown.pull.requests.merged.lines.deleted", "author", "agent");

        ObjectNode byAgent = pullRequest("opened", "agents/alpha/r-1");
        String delivery = UUID.randomUUID().toString();
        deliver("pull_request", delivery, byAgent).body("note", equalTo("opened, by agent"));
        deliver("pull_request", delivery, byAgent).body("note", containsString("redelivery"));
        deliver("pull_request", UUID.randomUUID().toString(),
                WebhookExamples.load("pull_request.opened", GitHubModeDispatchProfile.REPOSITORY));
        assertEquals(agentOpened + 1, count("monkeytown.pull.requests.opened", "author", "agent"));
        assertEquals(humanOpened + 1, count("monkeytown.pull.requests.opened", "author", "human"));

        ObjectNode merged = pullRequest("closed", "agents/alpha/r-1");
        ((ObjectNode) merged.get("pull_request")).put("merged", true).put("changed_files", 3).put("additions", 10)
                .put("deletions", 4);
        String mergeDelivery = UUID.randomUUID().toString();
        deliver("pull_request", mergeDelivery, merged).body("note", equalTo("merged, by agent"));
        deliver("pull_request", mergeDelivery, merged);
        // GitHub's own closed example is closed without merging: not a merge
        deliver("pull_request", UUID.randomUUID().toString(), pullRequest("closed", "agents/alpha/r-2"));
        assertEquals(agentMerged + 1, count("monkeytown.pull.requests.merged", "author", "agent"));
        assertEquals(mergedFiles + 3, count("monkeytown.pull.requests.merged.files", "author", "agent"));
        assertEquals(added + 10, count("monkeytown.pull.requests.merged.lines.added", "author", "agent"));
        assertEquals(deleted + 4, count("monkeytown.pull.requests.merged.lines.deleted", "author", "agent"));
    }

    @Test
    void aPushToTheDefaultBranchCountsItsCommitsAndDistinctFilesOnce() {
        double commits = count("monkeytown.default.branch.commits");
        double files = count("monkeytown.default.branch.files.changed");
        String before = GitHubModeDispatchProfile.DoubleResource.repository.ref("refs/heads/main").orElseThrow();
        String after = GitHubModeDispatchProfile.DoubleResource.repository.commitFiles("main",
                Map.of("src/Pushed" + UUID.randomUUID().toString().substring(0, 8) + ".java", "class P {}\n"),
                "a change nobody watches");
        ObjectNode push = push("refs/heads/main", before, after);
        ArrayNode listed = push.putArray("commits");
        commit(listed, true, new String[]{"src/A.java", "src/B.java"}, new String[]{"README.md"}, new String[0]);
        commit(listed, true, new String[0], new String[]{"src/A.java"}, new String[]{"src/Old.java"});
        String delivery = UUID.randomUUID().toString();

        deliver("push", delivery, push).body("handled", equalTo(true));
        deliver("push", delivery, push); // redelivered: GitHub's "redeliver", or the gateway retrying

        assertEquals(commits + 2, count("monkeytown.default.branch.commits"));
        assertEquals(files + 4, count("monkeytown.default.branch.files.changed"), "A, B, README, Old: A once");
    }

    @Test
    void aPushToAnotherBranchIsNotAChangeOnTheDefaultBranchAnAgentsBranchIsItsActivity() {
        double commits = count("monkeytown.default.branch.commits");
        double files = count("monkeytown.default.branch.files.changed");
        double alpha = count("monkeytown.agent.commits", "agent", "alpha");

        ObjectNode feature = push("refs/heads/feature/x", "0".repeat(40), "a".repeat(40));
        commit(feature.putArray("commits"), true, new String[]{"src/F.java"}, new String[0], new String[0]);
        deliver("push", UUID.randomUUID().toString(), feature).body("handled", equalTo(false));

        ObjectNode agent = push("refs/heads/agents/alpha/r-9", "0".repeat(40), "b".repeat(40));
        ArrayNode listed = agent.putArray("commits");
        commit(listed, false, new String[]{"docs/old.md"}, new String[0], new String[0]); // already on main
        commit(listed, true, new String[]{"docs/new.md"}, new String[0], new String[0]);
        String delivery = UUID.randomUUID().toString();
        deliver("push", delivery, agent);
        deliver("push", delivery, agent);

        assertEquals(commits, count("monkeytown.default.branch.commits"));
        assertEquals(files, count("monkeytown.default.branch.files.changed"));
        assertEquals(alpha + 1, count("monkeytown.agent.commits", "agent", "alpha"));
    }

    @Test
    void aDeliveryWithoutItsIdIsNotCountedItCouldNotBeToldFromARedelivery() {
        double opened = count("monkeytown.pull.requests.opened", "author", "human");

        deliver("pull_request", null, WebhookExamples.load("pull_request.opened", GitHubModeDispatchProfile.REPOSITORY))
                .body("note", containsString("no X-GitHub-Delivery"));

        assertEquals(opened, count("monkeytown.pull.requests.opened", "author", "human"));
    }

    @Test
    void theBusinessMetricsAreScraped() {
        deliver("pull_request", UUID.randomUUID().toString(),
                WebhookExamples.load("pull_request.opened", GitHubModeDispatchProfile.REPOSITORY));
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("monkeytown_pull_requests_opened_total{author=\"human\","));
    }

    private static ObjectNode pullRequest(String action, String headBranch) {
        ObjectNode payload = WebhookExamples.load("pull_request." + action, GitHubModeDispatchProfile.REPOSITORY);
        ((ObjectNode) payload.get("pull_request").get("head")).put("ref", headBranch);
        return payload;
    }

    private static ObjectNode push(String ref, String before, String after) {
        return WebhookExamples.load("push", GitHubModeDispatchProfile.REPOSITORY).put("ref", ref).put("before", before)
                .put("after", after)
                .put("deleted", false);
    }

    private static void commit(ArrayNode commits, boolean distinct, String[] added, String[] modified,
            String[] removed) {
        ObjectNode commit = commits.addObject().put("id", UUID.randomUUID().toString()).put("distinct", distinct);
        for (String path : added) {
            paths(commit, "added").add(path);
        }
        for (String path : modified) {
            paths(commit, "modified").add(path);
        }
        for (String path : removed) {
            paths(commit, "removed").add(path);
        }
    }

    private static ArrayNode paths(ObjectNode commit, String field) {
        return commit.has(field) ? (ArrayNode) commit.get(field) : commit.putArray(field);
    }

    private double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static ValidatableResponse deliver(String event, String delivery, ObjectNode payload) {
        var request = given().header("X-Monkeytown-Internal-Token",
                ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class))
                .header("X-GitHub-Event", event).contentType(ContentType.JSON).body(payload.toString());
        if (delivery != null) {
            request = request.header("X-GitHub-Delivery", delivery);
        }
        return request.post("/internal/webhooks/github").then().statusCode(202);
    }
}
