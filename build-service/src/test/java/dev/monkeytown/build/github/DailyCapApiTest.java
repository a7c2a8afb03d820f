package dev.monkeytown.build.github;

import static dev.monkeytown.build.github.GitHubModeBuildsTest.api;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.awaitWorkflowRun;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.build;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.deliver;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.newestBuild;
import static dev.monkeytown.build.github.GitHubModeBuildsTest.push;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.kit.testing.Management;

/**
 * Beyond the daily maximum automatic builds wait for the next UTC day while manual ones still run, and the API says so:
 * on the waiting build, and in the 202 answer to a manual build.
 */
@QuarkusTest
@TestProfile(GitHubDailyCapProfile.class)
class DailyCapApiTest {

    @Test
    void theApiSaysWhenTheDailyCapMakesAutomaticBuildsWaitAndThatManualOnesStillRun() {
        await().atMost(GitHubModeBuildsTest.PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        HostedRepository repository = GitHubModeBuildsProfile.DoubleResource.repository;
        String main = repository.ref("refs/heads/main").orElseThrow();
        repository.forceRef("refs/heads/alpha", main);
        String head = repository.commitFiles("alpha", Map.of("src/" + UUID.randomUUID() + ".txt", "a change"),
                "change on alpha");
        deliver("push", push("alpha", main, head)).body("handled", equalTo(true));
        String waiting = newestBuild("alpha", head);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .toString();

        await().atMost(GitHubModeBuildsTest.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> build(waiting).then().extract().path("waiting.reason"), "daily_cap"::equals);
        build(waiting).then().body("state", equalTo("queued")).body("dailyCap.max", equalTo(0))
                .body("dailyCap.automaticToday", equalTo(0)).body("dailyCap.resumesAt", equalTo(tomorrow))
                .body("dailyCap.note", containsString("waits until " + tomorrow));

        // a manual build is not limited, and its answer says that automatic builds wait
        String manual = api().contentType(ContentType.JSON).body("{}").post("/api/v1/pipelines/bravo/builds").then()
                .statusCode(202).body("dailyCap.max", equalTo(0)).body("dailyCap.resumesAt", equalTo(tomorrow))
                .body("dailyCap.note", containsString("manual builds like this one still run"))
                .extract().path("id");
        awaitWorkflowRun(manual + "-1");
        build(waiting).then().body("state", equalTo("queued"));
    }
}
