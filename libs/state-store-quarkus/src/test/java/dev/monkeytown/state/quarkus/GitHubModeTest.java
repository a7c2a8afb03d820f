package dev.monkeytown.state.quarkus;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.kit.testing.Management;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.StateBranch;

@QuarkusTest
@TestProfile(GitHubModeProfile.class)
class GitHubModeTest {

    @Inject
    StateBranch branch;

    @Inject
    GitHubAccess github;

    @Test
    void theServiceKeepsItsStateOnGitHub() {
        branch.apply(new Change("seed", Actor.service("state-test-service"), w -> w.put("seed.json", "{}")))
                .await().atMost(Duration.ofSeconds(30));

        Costs before = GitHubModeProfile.DoubleResource.github.ledger().costs();
        branch.apply(new Change("record", Actor.user("octocat"), w -> w.put("probes/two.json", "{\"n\":2}")))
                .await().atMost(Duration.ofSeconds(30));
        Costs spent = GitHubModeProfile.DoubleResource.github.ledger().costs().minus(before);

        assertEquals(1, spent.writes(), "one state commit is one write: " + spent);
        assertTrue(branch.read("probes/two.json").await().indefinitely().isPresent());
        assertTrue(GitHubModeProfile.DoubleResource.github.violations().isEmpty(),
                () -> "requests GitHub would reject: " + GitHubModeProfile.DoubleResource.github.violations());
    }

    @Test
    void theBudgetShareScalesTheWritePacing() {
        // the profile gives this service half of the token's budget
        assertEquals(new WritePacing(Duration.ZERO, 40, 250, 5), github.options().pacing());
    }

    @Test
    void readinessAsksGitHubAndSaysSo() {
        Management.given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'state-store' }.status", is("UP"))
                .body("checks.find { it.name == 'state-store' }.data.backend", is("github"));
    }

    @Test
    void readinessIsDownWhileGitHubIsUnreachable() {
        GitHubModeProfile.DoubleResource.github.takeDown();
        try {
            Management.given().when().get("/q/health/ready")
                    .then().statusCode(503)
                    .body("checks.find { it.name == 'state-store' }.status", is("DOWN"));
        } finally {
            GitHubModeProfile.DoubleResource.github.bringBack();
        }
        Management.given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void githubMetricsArePublished() {
        Management.given().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("monkeytown_github_requests"));
    }
}
