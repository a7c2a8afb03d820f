package dev.monkeytown.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real registry client through the real gateway: {@code ./monkeytown up} starts the suite, and Debian's
 * {@code skopeo} (installed by {@code ./monkeytown test}) pushes an OCI image layout to
 * {@code docker://127.0.0.1:<gateway port>/...} with the launcher's admin token as its password, pulls it back with
 * identical digests, and is refused without credentials; a build's outputs, published by build-service, are found there
 * too. Nothing but the gateway's public port is used: this is how docker, oras or a CI job reach the suite's registry.
 */
class RegistryThroughGatewayIT {

    private static final int PORT_BASE = 18480;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static Launcher launcher;
    static String registry;
    static String token;

    @BeforeAll
    static void up() throws Exception {
        launcher = new Launcher(data.resolve("home"), PORT_BASE);
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        registry = "127.0.0.1:" + launcher.port("api-gateway");
        token = Files.readString(launcher.home().resolve("token")).trim();
    }

    @AfterAll
    static void down() throws Exception {
        launcher.run("down");
        launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void skopeoCopiesAnImageInAndBackOutThroughTheGatewayWithIdenticalDigests() throws Exception {
        Path work = data.resolve("skopeo");
        String digest = writeLayout(work.resolve("in"));
        String reference = "docker://" + registry + "/system/skopeo:v1";

        Result in = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "ci:" + token,
                "oci:" + work.resolve("in") + ":v1", reference);
        assertEquals(0, in.exit(), in.output());
        Result out = skopeo("copy", "--src-tls-verify=false", "--src-creds", "ci:" + token, reference,
                "oci:" + work.resolve("out") + ":v1");
        assertEquals(0, out.exit(), out.output());
        JsonNode index = JSON.readTree(work.resolve("out/index.json").toFile());
        assertEquals(digest, index.path("manifests").get(0).path("digest").asText());

        Result inspect = skopeo("inspect", "--tls-verify=false", "--creds", "ci:" + token, reference);
        assertEquals(0, inspect.exit(), inspect.output());
        assertEquals(digest, JSON.readTree(inspect.output().substring(inspect.output().indexOf('{')))
                .path("Digest").asText());

        Result anonymous = skopeo("inspect", "--tls-verify=false", "--no-creds", reference);
        assertNotEquals(0, anonymous.exit(), anonymous.output());
        assertTrue(anonymous.output().contains("unauthorized"), anonymous.output());
        Result wrong = skopeo("inspect", "--tls-verify=false", "--creds", "ci:not-the-token-0123456789", reference);
        assertNotEquals(0, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("unauthorized"), wrong.output());
    }

    /**
     * build-service to artifact-service to a registry client, all through the gateway: a build asked for over the API
     * publishes its outputs, and skopeo finds them under the commit's and the build's tags with the digests the build
     * recorded; a layer read back through {@code /v2/} hashes to its digest.
     */
    @Test
    void aBuildsOutputsArePulledThroughTheGatewayWithTheDigestsTheBuildRecorded() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> queued = http.send(HttpRequest.newBuilder(
                URI.create("http://" + registry + "/api/v1/pipelines/site/builds"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, queued.statusCode(), queued.body());
        String id = JSON.readTree(queued.body()).path("id").asText();
        AtomicReference<JsonNode> ended = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + registry + "/api/v1/builds/" + id)).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            ended.set(JSON.readTree(answer.body()));
            return List.of("succeeded", "failed", "timed_out", "cancelled").contains(ended.get().path("state").asText());
        });
        JsonNode build = ended.get();
        assertEquals("succeeded", build.path("state").asText(), build.toString());
        JsonNode artifact = build.path("artifact");
        assertEquals("builds/site", artifact.path("repository").asText(), build.toString());

        for (String tag : List.of(build.path("sha").asText(), id)) {
            Result raw = skopeo("inspect", "--raw", "--tls-verify=false", "--creds", "ci:" + token,
                    "docker://" + registry + "/builds/site:" + tag);
            assertEquals(0, raw.exit(), raw.output());
            JsonNode manifest = JSON.readTree(raw.output());
            List<String> layers = new ArrayList<>();
            manifest.path("layers").forEach(layer -> layers.add(layer.path("digest").asText() + " "
                    + layer.at("/annotations/org.opencontainers.image.title").asText()));
            List<String> outputs = new ArrayList<>();
            build.path("outputs").forEach(output -> outputs.add(output.path("digest").asText() + " "
                    + output.path("path").asText()));
            assertFalse(outputs.isEmpty(), build.toString());
            assertEquals(outputs.stream().sorted().toList(), layers.stream().sorted().toList(), raw.output());
        }

        String layer = build.path("outputs").get(0).path("digest").asText();
        HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(
                URI.create("http://" + registry + "/v2/builds/site/blobs/" + layer))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("ci:" + token).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, blob.statusCode());
        assertEquals(layer, digestOf(blob.body()));
    }

    @Test
    void theGatewayChallengesAnAnonymousBaseCheckAsTheSpecSays() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + registry + "/v2/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("Basic realm=\"Monkeytown registry\", charset=\"UTF-8\"",
                response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("UNAUTHORIZED", JSON.readTree(response.body()).at("/errors/0/code").asText());
    }

    /** An OCI image layout with one gzipped tar layer; returns the manifest digest. */
    private static String writeLayout(Path root) throws IOException {
        Files.createDirectories(root.resolve("blobs/sha256"));
        byte[] payload = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        byte[] tar = tar("hello.bin", payload);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gz)) {
            zip.write(tar);
        }
        byte[] layer = gz.toByteArray();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + digestOf(tar) + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", blob(root, config),
                        config.length)
                + ",\"layers\":[" + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(root, layer),
                        layer.length)
                + "]}").getBytes(StandardCharsets.UTF_8);
        String digest = blob(root, manifest);
        Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(root.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        return digest;
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static String blob(Path root, byte[] content) throws IOException {
        String digest = digestOf(content);
        Files.write(root.resolve("blobs/sha256/" + digest.substring("sha256:".length())), content);
        return digest;
    }

    private static String digestOf(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A one-file ustar archive. */
    private static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private record Result(int exit, String output) {
    }

    private static Result skopeo(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("skopeo is needed for this test (./monkeytown test installs it)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
