package dev.monkeytown.artifact.registry;

import static dev.monkeytown.artifact.Registry.internalToken;
import static dev.monkeytown.artifact.Registry.operator;
import static dev.monkeytown.artifact.Registry.repository;
import static dev.monkeytown.artifact.Registry.viewer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.kit.security.InternalToken;

/**
 * Two requests writing one upload at the same time must never interleave their bytes: while one chunk streams in, a
 * second PATCH (or the final PUT) of the same upload is the spec's out-of-order chunk, 416 {@code BLOB_UPLOAD_INVALID}
 * with the upload's current {@code Range}, and nothing of it is read. The upload's status answers meanwhile, and the
 * blob stored at the end is exactly the first request's bytes.
 */
@QuarkusTest
class ConcurrentChunksTest {

    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** Above the server's input buffer (10 KiB), which it fills before it hands a body to the endpoint. */
    private static final int HALF = 64 * 1024;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aSecondPatchWhileAChunkStreamsInIsRefusedAndTheFirstIsUnharmed() throws Exception {
        String repo = repository("concurrent");
        String location = operator().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Location");
        byte[] firstHalf = filled(HALF, 'a');
        byte[] secondHalf = filled(HALF, 'b');

        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(feed, 4 * HALF);
        // no Content-Length: the chunk streams in for as long as the test feeds it
        CompletableFuture<HttpResponse<String>> streaming = http.sendAsync(request(location)
                .timeout(Duration.ofSeconds(30)).method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                HttpResponse.BodyHandlers.ofString());
        feed.write(firstHalf);
        feed.flush();
        long offset = awaitProgress(location);

        // a second chunk at the offset the upload has right now, and one without Content-Range: both refused
        HttpResponse<String> ranged = http.send(request(location).header("Content-Range", offset + "-" + (offset + 9))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(filled(10, 'x'))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(ranged);
        HttpResponse<String> plain = http.send(request(location)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(filled(10, 'y'))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(plain);
        Digest wrong = Digest.of(filled(HALF + 10, 'z'));
        HttpResponse<String> finish = http.send(request(location + "?digest=" + wrong)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(filled(10, 'z'))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(finish);

        feed.write(secondHalf);
        feed.close();
        HttpResponse<String> first = streaming.get(30, TimeUnit.SECONDS);
        assertEquals(202, first.statusCode(), first.body());
        assertEquals("0-" + (2 * HALF - 1), first.headers().firstValue("Range").orElse(""));

        byte[] whole = new byte[2 * HALF];
        System.arraycopy(firstHalf, 0, whole, 0, HALF);
        System.arraycopy(secondHalf, 0, whole, HALF, HALF);
        Digest digest = Digest.of(whole);
        operator().queryParam("digest", digest.toString()).put(location).then().statusCode(201);
        assertArrayEquals(whole, viewer().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200).extract()
                .asByteArray());
    }

    /** 416 with the upload's current range: somewhere in the first half, all the streaming chunk has written. */
    private static void assertRefused(HttpResponse<String> response) {
        assertEquals(416, response.statusCode(), response.body());
        assertTrue(response.body().contains("BLOB_UPLOAD_INVALID"), response.body());
        String range = response.headers().firstValue("Range").orElse("");
        assertTrue(range.matches("0-[0-9]+") && Long.parseLong(range.substring(2)) < HALF, range);
    }

    /**
     * The upload's status answers while a chunk streams in (it must not wait for the chunk); waits until the chunk
     * has written something and answers where the upload is.
     */
    private long awaitProgress(String location) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = http.send(request(location).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, status.statusCode(), status.body());
            seen = status.headers().firstValue("Range").orElse("");
            if (!seen.equals("0-0")) {
                return Long.parseLong(seen.substring(2)) + 1;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the streaming chunk never wrote a byte, last seen " + seen);
    }

    private HttpRequest.Builder request(String location) {
        return HttpRequest.newBuilder(base.resolve(location)).timeout(ANSWER)
                .header(InternalToken.HEADER, internalToken()).header("X-Monkeytown-User", "operator-user")
                .header("X-Monkeytown-Role", "operator").header("Content-Type", "application/octet-stream");
    }

    private static byte[] filled(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
