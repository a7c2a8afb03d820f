package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The double's Git LFS batch API and basic transfers, held to git-lfs's {@code docs/api/batch.md} and
 * {@code basic-transfers.md}: upload and verify, no actions for stored objects, per-object 404s on download, the
 * whole-request refusals (validation, repository, data quota), and a storage host that checks what it is sent.
 */
class LfsBatchApiTest {

    private static final String MEDIA = "application/vnd.git-lfs+json";
    private final HttpClient http = HttpClient.newHttpClient();
    private GitHubDouble github;

    @BeforeEach
    void start() {
        github = GitHubDouble.start();
        github.repository("acme", "town");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void uploadThenVerifyThenTheObjectIsStoredAndDownloadable() throws Exception {
        byte[] content = "an lfs object".getBytes(StandardCharsets.UTF_8);
        String oid = sha256(content);
        JsonNode object = batch("upload", oid, content.length).path("objects").get(0);
        JsonNode upload = object.path("actions").path("upload");
        HttpResponse<String> put = http.send(withHeaders(upload, HttpRequest.newBuilder(URI.create(upload.path("href")
                .asText()))).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode());
        JsonNode verify = object.path("actions").path("verify");
        HttpResponse<String> verified = http.send(withHeaders(verify, HttpRequest.newBuilder(URI.create(verify
                .path("href").asText()))).header("Accept", MEDIA).header("Content-Type", MEDIA)
                .POST(HttpRequest.BodyPublishers.ofString("{\"oid\":\"" + oid + "\",\"size\":" + content.length + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, verified.statusCode());
        assertTrue(github.lfs().has("acme/town", oid));

        JsonNode again = batch("upload", oid, content.length).path("objects").get(0);
        assertFalse(again.has("actions"), "an object GitHub has gets no actions: " + again);

        JsonNode download = batch("download", oid, content.length).path("objects").get(0).path("actions")
                .path("download");
        HttpResponse<byte[]> got = http.send(withHeaders(download, HttpRequest.newBuilder(URI.create(download
                .path("href").asText()))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode());
        assertEquals(new String(content, StandardCharsets.UTF_8), new String(got.body(), StandardCharsets.UTF_8));
        assertTrue(github.violations().isEmpty(), github.violations().toString());
    }

    @Test
    void anUploadWhoseBytesDoNotHashToTheOidIsNotKept() throws Exception {
        byte[] claimed = "claimed".getBytes(StandardCharsets.UTF_8);
        String oid = sha256(claimed);
        JsonNode upload = batch("upload", oid, claimed.length).path("objects").get(0).path("actions").path("upload");
        HttpResponse<String> put = http.send(withHeaders(upload, HttpRequest.newBuilder(URI.create(upload.path("href")
                .asText()))).PUT(HttpRequest.BodyPublishers.ofByteArray("forged!".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, put.statusCode());
        assertFalse(github.lfs().has("acme/town", oid));
    }

    @Test
    void anUploadWithoutTheGrantedAuthorizationIsRefused() throws Exception {
        String oid = sha256("x".getBytes(StandardCharsets.UTF_8));
        String href = batch("upload", oid, 1).path("objects").get(0).path("actions").path("upload").path("href")
                .asText();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(href))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, put.statusCode());
    }

    @Test
    void aMissingObjectIsAPerObjectErrorOnDownload() throws Exception {
        JsonNode object = batch("download", "ab".repeat(32), 5).path("objects").get(0);
        assertEquals(404, object.path("error").path("code").asInt());
        assertFalse(object.has("actions"));
    }

    @Test
    void overTheStorageQuotaTheWholeUploadIsRefused() throws Exception {
        github.lfs().storageQuota(10);
        HttpResponse<String> response = post("/acme/town.git/info/lfs/objects/batch", request("upload",
                "cd".repeat(32), 11));
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("over its data quota"), response.body());
        assertEquals(MEDIA, response.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void actionsSayWhenTheyExpireAndTheStorageHostHoldsThemToIt() throws Exception {
        byte[] content = "expiring".getBytes(StandardCharsets.UTF_8);
        String oid = sha256(content);
        JsonNode upload = batch("upload", oid, content.length).path("objects").get(0).path("actions").path("upload");
        assertEquals(3600, upload.path("expires_in").asLong());
        java.time.Instant at = java.time.Instant.parse(upload.path("expires_at").asText());
        assertTrue(at.isAfter(java.time.Instant.now().plusSeconds(3500)), upload.toString());
        assertTrue(upload.path("expires_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                "RFC 3339, second precision: " + upload);

        github.lfs().expireNextActions(1);
        JsonNode expired = batch("upload", oid, content.length).path("objects").get(0).path("actions")
                .path("upload");
        assertEquals(0, expired.path("expires_in").asLong());
        HttpResponse<String> late = http.send(withHeaders(expired, HttpRequest.newBuilder(URI.create(expired
                .path("href").asText()))).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, late.statusCode());
        assertTrue(late.body().contains("expired"), late.body());
        assertFalse(github.lfs().has("acme/town", oid));

        // the next answer is good again
        JsonNode fresh = batch("upload", oid, content.length).path("objects").get(0).path("actions").path("upload");
        assertEquals(200, http.send(withHeaders(fresh, HttpRequest.newBuilder(URI.create(fresh.path("href")
                .asText()))).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aRateLimitedBatchIs429WithRetryAfter() throws Exception {
        github.lfs().rateLimitNextBatches(1, java.time.Duration.ofSeconds(42));
        HttpResponse<String> limited = post("/acme/town.git/info/lfs/objects/batch", request("download",
                "ab".repeat(32), 1));
        assertEquals(429, limited.statusCode());
        assertEquals("42", limited.headers().firstValue("Retry-After").orElse(""));
        assertTrue(Json.MAPPER.readTree(limited.body()).has("message"), limited.body());
        assertEquals(200, post("/acme/town.git/info/lfs/objects/batch", request("download", "ab".repeat(32), 1))
                .statusCode());
    }

    @Test
    void aServerWithoutRoomAnswersUploads507() throws Exception {
        github.lfs().insufficientStorage(true);
        HttpResponse<String> full = post("/acme/town.git/info/lfs/objects/batch", request("upload", "cd".repeat(32),
                11));
        assertEquals(507, full.statusCode());
        assertEquals(MEDIA, full.headers().firstValue("Content-Type").orElse(""));
        assertTrue(Json.MAPPER.readTree(full.body()).path("message").asText().contains("Insufficient storage"));
        // downloads need no room
        assertEquals(200, post("/acme/town.git/info/lfs/objects/batch", request("download", "cd".repeat(32), 11))
                .statusCode());
    }

    @Test
    void invalidRequestsAreRefusedAndRecordedAsViolations() throws Exception {
        assertEquals(422, post("/acme/town.git/info/lfs/objects/batch", request("upload", "NOT-HEX", 1))
                .statusCode());
        assertEquals(422, post("/acme/town.git/info/lfs/objects/batch", request("fetch", "ab".repeat(32), 1))
                .statusCode());
        assertEquals(404, post("/acme/nowhere.git/info/lfs/objects/batch", request("upload", "ab".repeat(32), 1))
                .statusCode());
        assertEquals(2, github.violations().size(), github.violations().toString());
    }

    @Test
    void lfsRequestsCostNoApiQuota() throws Exception {
        github.primaryLimit("core", 1, java.time.Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("/acme/town.git/info/lfs/objects/batch", request("download", "ab".repeat(32), 1))
                    .statusCode());
        }
    }

    private JsonNode batch(String operation, String oid, long size) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/acme/town.git/info/lfs/objects/batch", request(operation, oid, size));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(MEDIA, response.headers().firstValue("Content-Type").orElse(""));
        return Json.MAPPER.readTree(response.body());
    }

    private static String request(String operation, String oid, long size) throws IOException {
        return Json.MAPPER.writeValueAsString(Map.of("operation", operation, "transfers", List.of("basic"), "objects",
                List.of(Map.of("oid", oid, "size", size))));
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Accept", MEDIA)
                .header("Content-Type", MEDIA).header("Authorization", "Basic dXNlcjp0b2tlbg==")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder withHeaders(JsonNode action, HttpRequest.Builder request) {
        action.path("header").fields().forEachRemaining(e -> request.header(e.getKey(), e.getValue().asText()));
        return request;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
