package dev.monkeytown.artifact.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import dev.monkeytown.artifact.Registry;
import dev.monkeytown.artifact.oci.Digest;

/**
 * A real client: {@code skopeo} (Debian's, which {@code .ci/run} installs) copies an OCI image layout into the
 * registry with credentials and back out, and the digests are identical; without credentials it is refused. Through
 * {@link GatewayStandIn}, as this module's tests cannot start the gateway; system-tests'
 * {@code RegistryThroughGatewayIT} does the same through the real gateway.
 */
@QuarkusTest
class SkopeoClientTest {

    private static final String TOKEN = "suite-token-for-skopeo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayStandIn gateway;

    /** Started in the first test: Quarkus publishes its random port to RestAssured only around each test. */
    @BeforeEach
    void start() throws Exception {
        if (gateway == null) {
            gateway = GatewayStandIn.start(RestAssured.port, Registry.internalToken(), TOKEN, "admin");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    @Test
    void skopeoCopiesAnImageInAndBackOutWithIdenticalDigests() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "skopeo-");
        String digest = writeLayout(work.resolve("in"));
        String reference = "docker://" + gateway.host() + "/" + Registry.repository("skopeo") + ":v1";

        Result in = skopeo("copy", "--dest-tls-verify=false", "--dest-creds", "ci:" + TOKEN, "oci:" + work
                .resolve("in") + ":v1", reference);
        assertEquals(0, in.exit(), in.output());
        Result out = skopeo("copy", "--src-tls-verify=false", "--src-creds", "ci:" + TOKEN, reference, "oci:" + work
                .resolve("out") + ":v1");
        assertEquals(0, out.exit(), out.output());
        JsonNode index = JSON.readTree(work.resolve("out/index.json").toFile());
        assertEquals(digest, index.path("manifests").get(0).path("digest").asText());

        Result inspect = skopeo("inspect", "--tls-verify=false", "--creds", "ci:" + TOKEN, reference);
        assertEquals(0, inspect.exit(), inspect.output());
        assertEquals(digest, JSON.readTree(inspect.output().substring(inspect.output().indexOf('{'))).path("Digest")
                .asText());
    }

    @Test
    void anonymousSkopeoInspectIsRefused() throws Exception {
        String repository = Registry.repository("skopeo");
        Registry.putManifest(repository, "v1", Registry.imageManifest(repository, Registry.bytes("{}"), List.of()))
                .then().statusCode(201);
        Result anonymous = skopeo("inspect", "--tls-verify=false", "--no-creds",
                "docker://" + gateway.host() + "/" + repository + ":v1");
        assertNotEquals(0, anonymous.exit(), anonymous.output());
        assertTrue(anonymous.output().contains("unauthorized"), anonymous.output());
        Result wrong = skopeo("inspect", "--tls-verify=false", "--creds", "ci:wrong-token",
                "docker://" + gateway.host() + "/" + repository + ":v1");
        assertNotEquals(0, wrong.exit(), wrong.output());
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
                + Digest.of(tar) + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + Registry.descriptor("application/vnd.oci.image.config.v1+json", blob(root, config),
                        config.length)
                + ",\"layers\":[" + Registry.descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(root,
                        layer), layer.length)
                + "]}").getBytes(StandardCharsets.UTF_8);
        Digest digest = blob(root, manifest);
        Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(root.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        return digest.toString();
    }

    private static Digest blob(Path root, byte[] content) throws IOException {
        Digest digest = Digest.of(content);
        Files.write(root.resolve("blobs/sha256/" + digest.hex()), content);
        return digest;
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
            throw new AssertionError("skopeo is needed for this test (apt-get install skopeo; .ci/run does)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
