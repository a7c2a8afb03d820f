package dev.monkeytown.deploy.github;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitObjects;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.kit.testing.Management;

/**
 * What one deployment and one revert cost in GitHub requests in GitHub mode, counted by the double's call ledger from
 * the API request to the record's {@code success}, every webhook delivered: counted reads and writes (free 304s
 * apart) by area. Also checks the operator's revert through the API: one commit with the last good tree. Written to
 * {@code target/github-requests-per-deployment.md} (docs/benchmarks.md quotes it).
 */
@QuarkusTest
@TestProfile(GitHubModeProfile.class)
class GitHubRequestsPerDeploymentTest {

    private static final Duration SETTLE = Duration.ofSeconds(2);

    @BeforeEach
    void callAsTheGateway() {
        io.restassured.RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader("X-Monkeytown-Internal-Token", GitHubModeDeploymentsTest.token()).build();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @AfterEach
    void uninstall() {
        io.restassured.RestAssured.requestSpecification = null;
    }

    @Test
    void aDeploymentAndARevertThroughTheApiAreCountedInGitHubRequests() throws Exception {
        String good = GitHubModeDeploymentsTest.sourceCommit("zeta");
        Map<String, long[]> deploy = measure(() -> {
            String id = GitHubModeDeploymentsTest.deploy("zeta", good);
            GitHubModeDeploymentsTest.finishOnGitHub(GitHubModeDeploymentsTest.awaitRun(id), "success");
            GitHubModeDeploymentsTest.awaitState(id, "success");
        });
        String next = GitHubModeDeploymentsTest.sourceCommit("zeta");
        String second = GitHubModeDeploymentsTest.deploy("zeta", next);
        GitHubModeDeploymentsTest.finishOnGitHub(GitHubModeDeploymentsTest.awaitRun(second), "success");
        GitHubModeDeploymentsTest.awaitState(second, "success");
        String secondCommit = GitHubModeDeploymentsTest.envHead("zeta").sha();

        String[] revert = new String[1];
        Map<String, long[]> reverting = measure(() -> {
            revert[0] = given().contentType(ContentType.JSON).body("{}").post("/api/v1/environments/zeta/revert")
                    .then().statusCode(202).extract().path("id");
            GitHubModeDeploymentsTest.finishOnGitHub(GitHubModeDeploymentsTest.awaitRun(revert[0]), "success");
            GitHubModeDeploymentsTest.awaitState(revert[0], "success");
        });
        GitObjects.Commit head = GitHubModeDeploymentsTest.envHead("zeta");
        assertEquals(GitHubModeDeploymentsTest.tree(good), head.tree(), "the revert restores the last good tree");
        assertEquals(List.of(secondCommit), head.parents());
        assertTrue(head.message().startsWith("Revert zeta to " + good), head.message());
        GitHubModeDeploymentsTest.noDeploymentCreatedThroughTheApi();

        String table = "| GitHub requests | one deployment (reads / writes) | one revert (reads / writes) |\n"
                + "|---|---|---|\n";
        for (String area : deploy.keySet()) {
            table += "| " + area + " | " + deploy.get(area)[0] + " / " + deploy.get(area)[1] + " | "
                    + reverting.get(area)[0] + " / " + reverting.get(area)[1] + " |\n";
        }
        System.out.println(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/github-requests-per-deployment.md"), table);
        // a bound, not the figure: the environment commit (2 writes), a dispatch (1), the state records
        assertTrue(deploy.get("all")[1] <= 12, table);
        assertTrue(reverting.get("all")[1] <= 12, table);
    }

    /** Counted reads and writes by area while {@code action} ran, and until the service is quiet again. */
    private static Map<String, long[]> measure(ThrowingRunnable action) throws Exception {
        Instant from = Instant.now();
        action.run();
        Thread.sleep(SETTLE.toMillis()); // the last state commit and the reads that follow it
        Instant to = Instant.now();
        Map<String, long[]> areas = new LinkedHashMap<>();
        for (String area : List.of("environment branch (Git Data API)", "Actions (dispatch, runs)",
                "Deployments API (statuses)", "state branch (records)", "repository reads (refs, contents)", "all")) {
            areas.put(area, new long[2]);
        }
        for (RecordedRequest request : GitHubModeDeploymentsTest.ledger()) {
            if (request.arrivedAt().isBefore(from) || request.arrivedAt().isAfter(to)
                    || request.kind() == CallKind.NOT_MODIFIED || request.path().startsWith("/repos/monkeytown"
                            + "/monkeytown/issues")) {
                continue;
            }
            int column = request.kind() == CallKind.WRITE ? 1 : request.kind() == CallKind.COUNTED_READ ? 0 : -1;
            if (column < 0) {
                continue;
            }
            areas.get(area(request))[column]++;
            areas.get("all")[column]++;
        }
        return areas;
    }

    private static String area(RecordedRequest request) {
        String path = request.path();
        if (path.contains("/git/ref/heads/environments/") || path.contains("/git/refs")
                || path.endsWith("/git/commits") && request.method().equals("POST")) {
            return "environment branch (Git Data API)";
        }
        if (path.contains("/actions/")) {
            return "Actions (dispatch, runs)";
        }
        if (path.contains("/deployments")) {
            return "Deployments API (statuses)";
        }
        if (path.equals("/graphql") || path.contains("monkeytown/state/")) {
            return "state branch (records)";
        }
        return "repository reads (refs, contents)";
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
