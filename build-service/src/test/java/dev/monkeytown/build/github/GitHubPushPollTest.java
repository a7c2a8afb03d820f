package dev.monkeytown.build.github;

import static dev.monkeytown.build.github.GitHubModeBuildsTest.buildsOf;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.deliver;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.newestBuild;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.push;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.kit.testing.Management;

/**
 * Pushes whose webhook never came, and reads that lag behind a webhook: the head poll builds the first, and never takes
 * the second for a push of an older commit.
 */
@QuarkusTest
@TestProfile(GitHubPushPollProfile.class)
class GitHubPushPollTest {

    @BeforeEach
    void serviceIsReady() {
        await().atMost(GitHubModeBuildsTest.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aPushWhoseWebhookWasLostIsBuiltFromThePoll() {
        HostedRepository repository = GitHubPushPollProfile.DoubleResource.repository;
        repository.forceRef("refs/heads/alpha", repository.ref("refs/heads/main").orElseThrow());
        String head = repository.commitFiles("alpha", Map.of("src/" + UUID.randomUUID() + ".txt", "unannounced"),
                "nobody told build-service");

        String id = newestBuild("alpha", head);
        GitHubModeBuildsTest.build(id).then().body("trigger", equalTo("push")).body("ref", equalTo("alpha"));
    }

    @Test
    void aBuildsYamlUnreadableRightAfterItsPushIsNotTakenForNoPipelines() {
        HostedRepository repository = GitHubPushPollProfile.DoubleResource.repository;
        String main = repository.ref("refs/heads/main").orElseThrow();
        // the commit is made where replicas do not know it yet, then main moves to it: the ref's replicas are up to
        // date, those answering reads by commit id (contents, git/commits, compare) not yet
        repository.forceRef("refs/heads/juliet-wip", main);
        GitHubPushPollProfile.DoubleResource.github.lagReads(Duration.ofSeconds(3), true);
        String pushed;
        try {
            pushed = repository.commitFiles("juliet-wip", Map.of(".monkeytown/builds.yaml",
                    GitHubModeBuildsProfile.BUILDS_YAML + """
                              juliet:
                                workflow: build-juliet.yml
                                branches: ["juliet"]
                            """), "declare juliet");
        } finally {
            GitHubPushPollProfile.DoubleResource.github.lagReads(Duration.ZERO);
        }
        repository.forceRef("refs/heads/main", pushed);
        // a failure (5xx: delivered again) or 202: either way the pipelines must come from builds.yaml at that commit
        int answer = GitHubModeBuildsTest.api().header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(push("main", main, pushed).toString()).post("/internal/webhooks/github").statusCode();
        assertTrue(answer == 202 || answer >= 500, "answered " + answer);

        await().atMost(GitHubModeBuildsTest.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(GitHubPushPollTest::pipelineNames, names -> names.contains("juliet") && names.contains("alpha"));
    }

    private static List<String> pipelineNames() {
        return GitHubModeBuildsTest.api().get("/api/v1/pipelines").then().statusCode(200).extract().path("name");
    }

    @Test
    void aPushToAnotherRepositoryBuildsNothing() {
        HostedRepository repository = GitHubPushPollProfile.DoubleResource.repository;
        String main = repository.ref("refs/heads/main").orElseThrow();
        String elsewhere = repository.commitFiles("kilo-side", Map.of("src/k.txt", "k"), "a commit named elsewhere");
        ObjectNode foreign = push("india", main, elsewhere);
        ((ObjectNode) foreign.get("repository")).put("full_name", "someone/else");
        deliver("push", foreign).body("handled", equalTo(false));
        assertTrue(buildsOf("india").stream().noneMatch(b -> elsewhere.equals(b.get("sha"))),
                "a push to someone else's repository is not a push to this one");
    }

    @Test
    void aForcePushBackToAnEarlierCommitIsBuiltAlikeByTheWebhookAndByThePoll() {
        HostedRepository repository = GitHubPushPollProfile.DoubleResource.repository;
        String main = repository.ref("refs/heads/main").orElseThrow();

        // lima: every move announced by its push webhook
        repository.forceRef("refs/heads/lima", main);
        buildAndFinish("lima", main, 1);
        String limaFirst = repository.commitFiles("lima", Map.of("src/l1.txt", "1"), "first");
        deliver("push", push("lima", main, limaFirst));
        buildAndFinish("lima", limaFirst, 1);
        String limaSecond = repository.commitFiles("lima", Map.of("src/l2.txt", "2"), "second");
        deliver("push", push("lima", limaFirst, limaSecond));
        buildAndFinish("lima", limaSecond, 1);
        repository.forceRef("refs/heads/lima", limaFirst); // git push --force back to the first commit
        deliver("push", push("lima", limaSecond, limaFirst));
        buildAndFinish("lima", limaFirst, 2);

        // mike: the same moves, no webhook at all: the poll alone sees them
        repository.forceRef("refs/heads/mike", main);
        buildAndFinish("mike", main, 1);
        String mikeFirst = repository.commitFiles("mike", Map.of("src/m1.txt", "1"), "first");
        buildAndFinish("mike", mikeFirst, 1);
        String mikeSecond = repository.commitFiles("mike", Map.of("src/m2.txt", "2"), "second");
        buildAndFinish("mike", mikeSecond, 1);
        repository.forceRef("refs/heads/mike", mikeFirst);
        buildAndFinish("mike", mikeFirst, 2);

        assertEquals(List.of("first", "second", "first", "main"), names(buildsOf("lima"), main, limaFirst, limaSecond));
        assertEquals(names(buildsOf("lima"), main, limaFirst, limaSecond),
                names(buildsOf("mike"), main, mikeFirst, mikeSecond), "the same builds by webhook and by poll");
    }

    /** The commits the branch's builds were of, newest first, by name. */
    private static List<String> names(List<Map<String, Object>> builds, String main, String first, String second) {
        Map<String, String> names = Map.of(main, "main", first, "first", second, "second");
        return builds.stream().map(b -> names.getOrDefault((String) b.get("sha"), "?")).toList();
    }

    /** Waits for the {@code nth} build of {@code sha} on the branch and plays its workflow run to success. */
    private static void buildAndFinish(String branch, String sha, int nth) {
        String id = await().atMost(GitHubModeBuildsTest.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<String> ids = buildsOf(branch).stream().filter(b -> sha.equals(b.get("sha")))
                            .map(b -> (String) b.get("id")).toList();
                    return ids.size() >= nth ? ids.get(0) : null;
                }, found -> found != null);
        WorkflowRun run = GitHubModeBuildsTest.awaitWorkflowRun(id + "-1");
        GitHubModeBuildsTest.awaitRunnerKnown(id);
        deliver("workflow_run", GitHubModeBuildsTest.actions().complete(run.id(), "success"));
        GitHubModeBuildsTest.awaitState(id, "succeeded");
    }

    @Test
    void aReadThatLagsBehindAWebhookIsNotTakenForAPushOfTheOlderCommit() throws Exception {
        HostedRepository repository = GitHubPushPollProfile.DoubleResource.repository;
        String main = repository.ref("refs/heads/main").orElseThrow();
        repository.forceRef("refs/heads/india", main);
        String first = repository.commitFiles("india", Map.of("src/a.txt", "first"), "first");
        deliver("push", push("india", main, first)).body("handled", equalTo(true));
        newestBuild("india", first);

        // GitHub's replicas answer the previous head for a while after the next push; its webhook arrives at once
        GitHubPushPollProfile.DoubleResource.github.lagReads(Duration.ofSeconds(5));
        String second;
        try {
            second = repository.commitFiles("india", Map.of("src/b.txt", "second"), "second");
        } finally {
            GitHubPushPollProfile.DoubleResource.github.lagReads(Duration.ZERO);
        }
        deliver("push", push("india", first, second)).body("handled", equalTo(true));
        newestBuild("india", second);

        Thread.sleep(4_000); // polls reading the lagging head
        List<Object> shas = buildsOf("india").stream().map(b -> b.get("sha")).toList();
        assertEquals(List.of(second, first), shas, "one build per push, none of the older commit again");
    }
}
