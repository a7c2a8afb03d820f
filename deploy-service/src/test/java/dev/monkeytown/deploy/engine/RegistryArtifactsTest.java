package dev.monkeytown.deploy.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.monkeytown.deploy.deployments.Artifact;

/** Blobs read back by digest from a registry's {@code /v2/<repository>/blobs/<digest>}, checked, with the caller's headers. */
class RegistryArtifactsTest {

    @TempDir
    Path directory;
    private HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, String> seenTokens = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                seenTokens.put(path, String.valueOf(exchange.getRequestHeaders().getFirst("X-Token")));
                byte[] blob = blobs.get(path);
                exchange.sendResponseHeaders(blob == null ? 404 : 200, blob == null ? -1 : blob.length);
                if (blob != null) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(blob);
                    }
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void eachFileLandsUnderItsPipelineWithTheRecordedBytes() throws Exception {
        byte[] page = "<ul></ul>".getBytes(StandardCharsets.UTF_8);
        String digest = digest(page);
        blobs.put("/v2/builds/site/blobs/" + digest, page);
        artifacts().materialise(List.of(artifact("dist/site/index.html", digest)), directory);
        assertArrayEquals(page, Files.readAllBytes(directory.resolve("site/dist/site/index.html")));
        assertEquals("secret-token", seenTokens.get("/v2/builds/site/blobs/" + digest));
    }

    @Test
    void bytesOtherThanTheDigestSaysAreRefusedAndRemoved() throws Exception {
        String digest = digest("the real page".getBytes(StandardCharsets.UTF_8));
        blobs.put("/v2/builds/site/blobs/" + digest, "something else".getBytes(StandardCharsets.UTF_8));
        IOException refused = assertThrows(IOException.class,
                () -> artifacts().materialise(List.of(artifact("index.html", digest)), directory));
        assertTrue(refused.getMessage().contains("arrived as"));
        assertFalse(Files.exists(directory.resolve("site/index.html")));
    }

    @Test
    void aMissingBlobOrAPathLeavingTheFolderIsRefused() {
        String digest = digest(new byte[]{1});
        assertThrows(IOException.class, () -> artifacts().materialise(List.of(artifact("a", digest)), directory));
        blobs.put("/v2/builds/site/blobs/" + digest, new byte[]{1});
        assertThrows(IOException.class,
                () -> artifacts().materialise(List.of(artifact("../../escape", digest)), directory));
        assertFalse(Files.exists(directory.getParent().resolve("escape")));
    }

    private RegistryArtifacts artifacts() {
        return new RegistryArtifacts(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Map.of("X-Token", "secret-token"), Duration.ofSeconds(5));
    }

    private static Artifact artifact(String path, String digest) {
        return new Artifact("site", "B1", "a".repeat(40), "b".repeat(40), List.of(new Artifact.File(path, digest, 1)));
    }

    private static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
