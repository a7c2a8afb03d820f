package dev.monkeytown.build.outputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.engine.OutputPublisher;
import dev.monkeytown.build.engine.OutputRefusedException;
import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.Pipeline;

/** The OCI client and the artifact layout, against a real distribution registry. */
class RegistryOutputsTest {

    @TempDir
    static Path registryHome;
    static TestRegistry registry;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestRegistry.start(registryHome);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void outputsBecomeOneArtifactTaggedWithTheCommitAndTheBuild(@TempDir Path checkout, @TempDir Path staging)
            throws Exception {
        Files.createDirectories(checkout.resolve("dist/docs"));
        Files.writeString(checkout.resolve("dist/index.html"), "<h1>hello</h1>\n");
        Files.write(checkout.resolve("dist/docs/site.tar"), new byte[]{0, 1, 2, 3, (byte) 255});
        Files.writeString(checkout.resolve("README.md"), "not an output");
        Pipeline pipeline = BuildsFile.parse("r", "pipelines: {site: {command: make, outputs: [\"dist/**\"]}}")
                .pipeline("site").orElseThrow();
        Build build = Build.queued("01JB0000000000000000000001", "site", "main", "a".repeat(40), "t".repeat(40),
                BuildTrigger.MANUAL, "alice", Instant.now(), null).dispatched(Instant.now());
        String runId = build.currentRunId().orElseThrow();
        RegistryOutputs outputs = new RegistryOutputs(staging, new OciPush(registry.base(),
                Map.of("X-Monkeytown-Internal-Token", "x".repeat(24)), Duration.ofSeconds(10)), json,
                id -> id.equals(runId) ? pipeline.outputs() : List.of());

        outputs.collect(runId, checkout);
        OutputPublisher.Published published = outputs.publish(build, pipeline, runId);

        assertEquals(List.of("dist/docs/site.tar", "dist/index.html"),
                published.outputs().stream().map(o -> o.path()).toList());
        assertEquals(sha256(Files.readAllBytes(checkout.resolve("dist/index.html"))),
                published.outputs().get(1).digest());
        assertEquals(5, published.outputs().get(0).size());
        assertEquals("builds/site", published.artifact().orElseThrow().repository());
        assertTrue(Files.notExists(staging.resolve(runId)), "staged copies go once stored");

        for (String tag : List.of(build.sha(), build.id())) {
            HttpResponse<byte[]> manifest = get("/v2/builds/site/manifests/" + tag);
            assertEquals(200, manifest.statusCode());
            assertEquals(published.artifact().get().manifestDigest(), sha256(manifest.body()));
            JsonNode root = json.readTree(manifest.body());
            assertEquals(RegistryOutputs.ARTIFACT_TYPE, root.path("artifactType").asText());
            assertEquals("application/vnd.oci.empty.v1+json", root.path("config").path("mediaType").asText());
            assertEquals("dist/index.html",
                    root.path("layers").get(1).path("annotations").path(RegistryOutputs.TITLE).asText());
            assertEquals(build.sha(), root.path("annotations").path("org.opencontainers.image.revision").asText());
        }
        HttpResponse<byte[]> blob = get("/v2/builds/site/blobs/" + published.outputs().get(0).digest());
        assertArrayEquals(new byte[]{0, 1, 2, 3, (byte) 255}, blob.body());
    }

    @Test
    void aRegistryThatRefusesFailsThePublish(@TempDir Path staging) throws IOException {
        OciPush nowhere = new OciPush(URI.create("http://127.0.0.1:1"), Map.of(), Duration.ofSeconds(2));
        assertThrows(IOException.class, () -> nowhere.pushBlob("builds/x", RegistryOutputs.digest(new byte[]{1}),
                new byte[]{1}));
        OciPush wrong = new OciPush(registry.base(), Map.of(), Duration.ofSeconds(5));
        IOException refused = assertThrows(IOException.class,
                () -> wrong.pushBlob("builds/x", "sha256:" + "0".repeat(64), new byte[]{1}));
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
    }

    @Test
    void aBuildWithMoreOutputsThanTheCapIsRefusedNotPushed(@TempDir Path staging) throws Exception {
        Path files = Files.createDirectories(staging.resolve("b-many-1/dist"));
        for (int i = 0; i <= RegistryOutputs.MAX_OUTPUTS; i++) {
            Files.createFile(files.resolve("f" + i));
        }
        RegistryOutputs outputs = new RegistryOutputs(staging, new OciPush(registry.base(),
                Map.of("X-Monkeytown-Internal-Token", "x".repeat(24)), Duration.ofSeconds(10)),
                new ObjectMapper(), id -> List.of("dist/**"));
        Pipeline site = BuildsFile.parse("r", "pipelines: {many: {command: make, outputs: [\"dist/**\"]}}")
                .pipeline("many").orElseThrow();
        Instant now = Instant.now();
        Build build = Build.queued("b-many", "many", "main", "a".repeat(40), "t".repeat(40), BuildTrigger.MANUAL,
                "alice", now, null).dispatched(now);

        // a re-run produces as many: refused as the build's fault, and nothing tagged
        IOException refused = assertThrows(OutputRefusedException.class,
                () -> outputs.publish(build, site, "b-many-1"));
        assertTrue(refused.getMessage().contains(String.valueOf(RegistryOutputs.MAX_OUTPUTS)), refused.getMessage());
        assertEquals(404, get("/v2/builds/many/manifests/b-many").statusCode());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(registry.base().resolve(path))
                .header("Accept", OciPush.MANIFEST_TYPE).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
