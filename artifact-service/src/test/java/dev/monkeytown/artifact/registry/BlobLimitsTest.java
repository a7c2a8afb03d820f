package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.artifact.Registry;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.SpoolContents;
import dev.monkeytown.kit.security.InternalToken;

/**
 * The size limit and the quota, small enough to test: a blob over the limit is refused before it is stored, whether
 * its length was declared or it streamed in chunks; a push past the quota is refused; neither leaves anything behind.
 */
@QuarkusTest
@TestProfile(BlobLimitsTest.SmallLimits.class)
class BlobLimitsTest {

    @Inject
    BlobStore store;

    @TestHTTPResource("/")
    URI base;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.artifacts.max-blob-size", "1K", "monkeytown.artifacts.quota", "3K",
                    // room for one and a half blobs at a time in the spool
                    "monkeytown.artifacts.spool-budget", "1536",
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

    /**
     * Many uploads at once, each under the blob limit, must not fill the disk: past the spool budget a chunk is
     * refused with 503 and Retry-After (the registry is busy, not the request wrong) before a byte of it is read, the
     * upload stays where it was, and the budget comes back when the upload holding it ends.
     */
    @Test
    void uploadsAtOnceCannotPassTheSpoolBudget() {
        String repo = repository("limits");
        // the two that get stored are the quota test's own blobs: stored once, they count against the quota once
        byte[] first = quotaBlob(2);
        byte[] second = quotaBlob(1);
        String a = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        String b = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        operator().contentType("application/octet-stream").body(first).patch(a).then().statusCode(202);

        // 1000 + 1000 > 1536: the second chunk does not fit while the first upload holds its bytes
        operator().contentType("application/octet-stream").body(second).patch(b)
                .then().statusCode(503).body("errors[0].code", is("UNAVAILABLE"))
                .body("errors[0].detail", containsString("spool is full"))
                .header("Retry-After", matchesPattern("[1-9][0-9]*")).header("Range", "0-0");
        operator().get(b).then().statusCode(204).header("Range", "0-0");
        // a monolithic push that does not fit either, and leaves no upload behind
        Set<Path> before = SpoolContents.of(store);
        operator().contentType("application/octet-stream").body(second)
                .queryParam("digest", Digest.of(second).toString()).post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(503).header("Retry-After", matchesPattern("[1-9][0-9]*"));
        assertEquals(Set.of(), SpoolContents.addedSince(store, before));
        viewer().head("/v2/" + repo + "/blobs/" + Digest.of(second)).then().statusCode(404);

        // the first upload ends (cancelled): its bytes are given back, and the second goes through
        operator().delete(a).then().statusCode(204);
        operator().contentType("application/octet-stream").body(second).patch(b).then().statusCode(202);
        operator().queryParam("digest", Digest.of(second).toString()).put(b).then().statusCode(201);
        // and stored: what it held is given back too, so a third upload of the same size fits
        operator().contentType("application/octet-stream").body(first).queryParam("digest", Digest.of(first).toString())
                .post("/v2/" + repo + "/blobs/uploads/").then().statusCode(201);
    }

    @Test
    void aBodyOfUndeclaredLengthThatRunsPastTheSpoolBudgetEndsItsUpload() {
        String repo = repository("limits");
        String a = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        String b = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        operator().contentType("application/octet-stream").body(filled(1000, 3)).patch(a).then().statusCode(202);
        Set<Path> before = SpoolContents.of(store);
        // chunked: no length to check first, so it is refused where it passes the budget
        HttpResponse<String> refused = chunkedPatch(b, filled(1000, 4));
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("UNAVAILABLE"), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").orElse("").matches("[1-9][0-9]*"));
        operator().get(b).then().statusCode(404).body("errors[0].code", is("BLOB_UPLOAD_UNKNOWN"));
        assertEquals(Set.of(), SpoolContents.addedSince(store, before));
        operator().delete(a).then().statusCode(204);
    }

    @Test
    void aSingleFileUploadPastTheSpoolBudgetIsRefusedForNow() {
        String repo = repository("limits");
        String a = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        operator().contentType("application/octet-stream").body(filled(1000, 5)).patch(a).then().statusCode(202);
        Set<Path> before = SpoolContents.of(store);
        operator().body(filled(1000, 6)).queryParam("repository", repo)
                .queryParam("artifactType", "application/vnd.test").post("/api/v1/artifacts")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"));
        assertEquals(Set.of(), SpoolContents.addedSince(store, before));
        operator().delete(a).then().statusCode(204);
    }

    /** A PATCH whose body has no declared length (chunked transfer coding). */
    private HttpResponse<String> chunkedPatch(String location, byte[] content) {
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest
                    .newBuilder(base.resolve(location)).timeout(Duration.ofSeconds(10))
                    .header(InternalToken.HEADER, Registry.internalToken())
                    .header("X-Monkeytown-User", "operator-user").header("X-Monkeytown-Role", "operator")
                    .header("Content-Type", "application/octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The blobs {@link #aPushPastTheQuotaIsRefused()} fills the quota with. */
    private static byte[] quotaBlob(int i) {
        byte[] blob = new byte[1000];
        blob[0] = (byte) i;
        return blob;
    }

    private static byte[] filled(int size, int seed) {
        byte[] content = new byte[size];
        java.util.Arrays.fill(content, (byte) seed);
        return content;
    }

    @Test
    void aPushPastTheQuotaIsRefused() {
        String repo = repository("limits");
        for (int i = 0; i < 3; i++) {
            byte[] blob = quotaBlob(i);
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
