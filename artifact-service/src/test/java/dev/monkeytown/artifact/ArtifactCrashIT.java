package dev.monkeytown.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.storage.LocalLfsStore;

/**
 * The packaged service killed with SIGKILL in the middle of a blob upload, then started again on the same repository:
 * every push that was acknowledged before the kill is readable and intact, the interrupted blob is visible nowhere
 * (not in the registry, not under its id in the LFS object store), its spool is swept, and Git finds the repository
 * sound.
 */
class ArtifactCrashIT {

    private static final String TOKEN = "crash-test-internal-token-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();
    private Path home;
    private int port;

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void sigkillDuringAnUploadLosesNothingAcknowledgedAndShowsNothingHalfWritten() throws Exception {
        home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-it-");
        Process first = start();
        String repo = "crash/test";
        List<byte[]> acknowledged = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 5; i++) {
            byte[] blob = new byte[100_000 + i];
            random.nextBytes(blob);
            HttpResponse<String> pushed = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/?digest="
                    + Digest.of(blob))).POST(HttpRequest.BodyPublishers.ofByteArray(blob)), "operator");
            assertEquals(201, pushed.statusCode(), pushed.body());
            acknowledged.add(blob);
        }
        // a big upload, half sent when the service dies
        String location = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), "operator").headers().firstValue("Location").orElseThrow();
        byte[] big = new byte[8 * 1024 * 1024];
        random.nextBytes(big);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        java.io.InputStream halfThenStall = new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(big, 0, big.length / 2), new java.io.InputStream() {
                    @Override
                    public int read() throws IOException {
                        try {
                            never.await(); // the rest never comes: the service dies first
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IOException("stalled on purpose");
                    }
                });
        var inFlight = http.sendAsync(withHeaders(HttpRequest.newBuilder(uri(location)), "operator")
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> halfThenStall), big.length))
                .build(), HttpResponse.BodyHandlers.ofString());
        Path spool = LocalLfsStore.gitDirectoryOf(home.resolve("repo")).resolve("lfs/tmp");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (spoolBytes(spool) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(spoolBytes(spool) > 0, "the upload had reached the spool when the service was killed");
        first.toHandle().destroyForcibly();
        first.waitFor();
        never.countDown();
        inFlight.handle((response, failure) -> null).get(); // the connection died with the service

        start();
        for (byte[] blob : acknowledged) {
            HttpResponse<byte[]> pulled = http.send(withHeaders(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/"
                    + Digest.of(blob))), "viewer").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, pulled.statusCode());
            assertArrayEquals(blob, pulled.body());
        }
        Digest interrupted = Digest.of(big);
        assertEquals(404, send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/" + interrupted))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), "viewer").statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(uri(location)).GET(), "operator").statusCode());
        LocalLfsStore store = new LocalLfsStore(LocalLfsStore.gitDirectoryOf(home.resolve("repo")));
        assertTrue(!Files.exists(store.objectPath(interrupted)));
        assertEquals(0, spoolBytes(spool), "the dead upload's spool was swept at start");
        Process fsck = new ProcessBuilder("git", "-C", home.resolve("repo").toString(), "fsck", "--strict")
                .redirectErrorStream(true).start();
        String report = new String(fsck.getInputStream().readAllBytes());
        assertEquals(0, fsck.waitFor(), report);
    }

    private Process start() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "package the service first: " + jar);
        port = freePort();
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx96m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + freePort(), "-Dmonkeytown.home=" + home,
                "-Dmonkeytown.state.local-repository=" + home.resolve("repo"), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("service-" + started.size() + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        // the environment variable, not a -D: a token on the command line shows in ps
        builder.environment().put("MONKEYTOWN_INTERNAL_TOKEN", TOKEN);
        Process process = builder.start();
        process.getOutputStream().close();
        started.add(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (send(HttpRequest.newBuilder(uri("/v2/")).GET(), "viewer").statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not start; see " + home);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String role) throws Exception {
        return http.send(withHeaders(request, role).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String role) {
        return request.header("X-Monkeytown-Internal-Token", TOKEN).header("X-Monkeytown-User", "crash")
                .header("X-Monkeytown-Role", role);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static long spoolBytes(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
