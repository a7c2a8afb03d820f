package dev.monkeytown.state.quarkus;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.Management;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.local.LocalGitRepository;

@QuarkusTest
class StateBranchProducerTest {

    @Inject
    StateBranch branch;

    @Test
    void theServiceGetsItsOwnBranchInTheLocalRepository() throws Exception {
        assertEquals("monkeytown/state/state-test-service", branch.branch());
        // the repository outlives a test run (target/), and a put that changes nothing makes no commit: write new content
        String probe = "{\"n\":" + System.nanoTime() + "}";
        CommitReceipt receipt = branch.apply(new Change("record a probe", Actor.user("octocat"),
                workspace -> workspace.put("probes/one.json", probe)))
                .await().atMost(Duration.ofSeconds(30));

        Process git = new ProcessBuilder("git", "-C", Path.of("target/state-test-repo").toAbsolutePath().toString(),
                "log", "-1", "--format=%H %an %s", "monkeytown/state/state-test-service").start();
        String line = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, git.waitFor());
        assertEquals(receipt.commitId() + " octocat record a probe", line);
        assertTrue(branch.read("probes/one.json").await().indefinitely().isPresent());
    }

    @Test
    void anotherReplicasWriteBecomesVisibleWithoutOneOfOurOwn() {
        branch.read("probes/seen.json").await().atMost(Duration.ofSeconds(10)); // load the view first
        try (LocalGitRepository repository = LocalGitRepository.openOrCreate(Path.of("target/state-test-repo"));
                GroupCommitStateBranch replica = new GroupCommitStateBranch("state-test-service",
                        repository.branch("state-test-service"), StateBranchOptions.defaults())) {
            String marker = "{\"replica\":\"" + System.nanoTime() + "\"}";
            replica.apply(new Change("write from the other replica", Actor.service("state-test-service"),
                    workspace -> workspace.put("probes/seen.json", marker))).await().atMost(Duration.ofSeconds(30));

            await().atMost(Duration.ofSeconds(15)).until(() -> branch.read("probes/seen.json")
                    .await().atMost(Duration.ofSeconds(5)).map(Document::text).orElse("").equals(marker));
        }
    }

    @Test
    void readinessIncludesTheStateStore() {
        Management.given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.name", hasItem("state-store"))
                .body("checks.find { it.name == 'state-store' }.status", is("UP"))
                .body("checks.find { it.name == 'state-store' }.data.branch", is("monkeytown/state/state-test-service"));
    }

    @Test
    void metricsCountStateCommits() {
        Management.given().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("monkeytown_state_commits_total"))
                .body(containsString("monkeytown_state_changes_total{outcome=\"committed\""));
    }
}
