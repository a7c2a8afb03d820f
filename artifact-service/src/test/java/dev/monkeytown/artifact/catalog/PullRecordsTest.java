package dev.monkeytown.artifact.catalog;

import static dev.monkeytown.artifact.Registry.bytes;
import static dev.monkeytown.artifact.Registry.imageManifest;
import static dev.monkeytown.artifact.Registry.putManifest;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.artifact.oci.Digest;

/**
 * Pull counts cost the branch one commit per flush, whatever the number of pulls and repositories (the issue: "pull
 * times are flushed in batches, not one commit per pull"). The scheduled flush is pushed out of the way so the test
 * flushes when it chooses.
 */
@QuarkusTest
@TestProfile(PullRecordsTest.FlushOnDemand.class)
class PullRecordsTest {

    public static class FlushOnDemand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.artifacts.pull-flush-interval", "1h");
        }
    }

    @Inject
    PullLog pulls;

    @Test
    void manyPullsInTwoRepositoriesAreOneCommit() throws Exception {
        String first = repository("pulls");
        String second = repository("pulls");
        byte[] manifest = imageManifest(first, bytes("{}"), List.of());
        putManifest(first, "v1", manifest).then().statusCode(201);
        putManifest(second, "v1", imageManifest(second, bytes("{}"), List.of())).then().statusCode(201);
        pulls.flush();
        long before = commits();

        for (int i = 0; i < 3; i++) {
            viewer().get("/v2/" + first + "/manifests/v1").then().statusCode(200);
        }
        viewer().get("/v2/" + second + "/manifests/v1").then().statusCode(200);
        viewer().get("/v2/" + second + "/manifests/v1").then().statusCode(200);
        assertEquals(before, commits(), "a pull writes nothing by itself");

        pulls.flush();
        assertEquals(before + 1, commits(), "five pulls in two repositories, one commit");
        viewer().queryParam("repository", first).get("/api/v1/artifacts/manifests").then().statusCode(200)
                .body("artifacts.find { it.digest == '" + Digest.of(manifest) + "' }.pulls", is(3));
    }

    private static long commits() throws Exception {
        Process git = new ProcessBuilder("git", "-C", "target/test-state-repo", "rev-list", "--count",
                "refs/heads/monkeytown/state/artifact-service").redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, git.waitFor(), out);
        return Long.parseLong(out);
    }
}
