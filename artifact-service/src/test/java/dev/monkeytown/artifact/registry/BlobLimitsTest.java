package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.SpoolContents;

/**
 * The size limit and the quota, small enough to test: a blob over the limit is refused before it is stored, whether
 * its length was declared or it streamed in chunks; a push past the quota is refused; neither leaves anything behind.
 */
@QuarkusTest
@TestProfile(BlobLimitsTest.SmallLimits.class)
class BlobLimitsTest {

    @Inject
    BlobStore store;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.artifacts.max-blob-size", "1K", "monkeytown.artifacts.quota", "3K",
                    "quarkus.http.limits.max-body-size", "64K", "monkeytown.state.local-repository",
                    "target/test-limits-repo");
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() {
        String repo = repository("limits");
        byte[] big = new byte[2048];
        operator().contentType("application/octet-stream").body(big).queryParam("digest", Digest.of(big).toString())
                .post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(413).body("errors[0].code", is("SIZE_INVALID"))
                .body("errors[0].detail", containsString("1024 bytes"));
        viewer().head("/v2/" + repo + "/blobs/" + Digest.of(big)).then().statusCode(404);
    }

    @Test
    void aStreamedUploadIsCutOffWhereItPassesTheLimitAndTheUploadEnds() {
        String repo = repository("limits");
        String location = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        // no Content-Length: the body is chunked, so only counting can catch it
        operator().contentType("application/octet-stream").body(new ByteArrayInputStream(new byte[4096]))
                .patch(location).then().statusCode(413).body("errors[0].code", is("SIZE_INVALID"));
        operator().get(location).then().statusCode(404);
    }

    @Test
    void aSingleFileUploadOverTheLimitLeavesNothingInTheSpool() {
        Set<Path> before = SpoolContents.of(store);
        operator().body(new ByteArrayInputStream(new byte[4096])).queryParam("repository", repository("limits"))
                .queryParam("artifactType", "application/vnd.test").post("/api/v1/artifacts")
                .then().statusCode(413).contentType("application/problem+json");
        assertEquals(Set.of(), SpoolContents.addedSince(store, before));
    }

    @Test
    void aPushPastTheQuotaIsRefused() {
        String repo = repository("limits");
        for (int i = 0; i < 3; i++) {
            byte[] blob = new byte[1000];
            blob[0] = (byte) i;
            operator().contentType("application/octet-stream").body(blob)
                    .queryParam("digest", Digest.of(blob).toString()).post("/v2/" + repo + "/blobs/uploads/")
                    .then().statusCode(201);
        }
        byte[] over = new byte[1000];
        over[0] = 9;
        operator().contentType("application/octet-stream").body(over).queryParam("digest", Digest.of(over).toString())
                .post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(403).body("errors[0].code", is("DENIED"))
                .body("errors[0].detail", containsString("quota"));
        viewer().head("/v2/" + repo + "/blobs/" + Digest.of(over)).then().statusCode(404);
    }
}
