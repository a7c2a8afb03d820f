package dev.monkeytown.artifact.retention;

import static dev.monkeytown.artifact.Registry.viewer;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The retention schedule really fires: with a cron of every two seconds, runs triggered by the schedule appear in
 * the history, as dry runs (the default for scheduled runs).
 */
@QuarkusTest
@TestProfile(ScheduledRetentionTest.EveryTwoSeconds.class)
class ScheduledRetentionTest {

    public static class EveryTwoSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.artifacts.retention.schedule", "0/2 * * * * ?",
                    "monkeytown.state.local-repository", "target/test-schedule-repo");
        }
    }

    @Test
    void theCronScheduleRunsRetention() throws Exception {
        // the test repository outlives a build: only runs started from now on count
        java.time.Instant since = java.time.Instant.now();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Map<String, Object>> scheduled = List.of();
        while (System.nanoTime() < deadline) {
            JsonPath runs = viewer().queryParam("limit", "100").get("/api/v1/artifacts/retention/runs").then()
                    .statusCode(200).extract().jsonPath();
            scheduled = runs.<Map<String, Object>>getList("findAll { it.triggeredBy == 'schedule' }").stream()
                    .filter(run -> java.time.Instant.parse(String.valueOf(run.get("startedAt"))).isAfter(since))
                    .toList();
            if (scheduled.size() >= 2) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(scheduled.size() >= 2, "two scheduled runs within 20 s of a 2 s schedule: " + scheduled);
        assertTrue(scheduled.stream().allMatch(run -> Boolean.TRUE.equals(run.get("dryRun"))),
                "scheduled runs are dry runs by default: " + scheduled);
    }
}
