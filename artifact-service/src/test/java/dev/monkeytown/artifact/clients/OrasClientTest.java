package dev.monkeytown.artifact.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

import dev.monkeytown.artifact.Registry;

/**
 * A second real client, oras-java-sdk (through {@link OrasCli}, in a JVM of its own — see there why): it pushes a file
 * as an artifact, attaches a signature whose manifest names the artifact as its {@code subject} (what
 * {@code oras attach} does), finds the signature through the referrers API with and without an {@code artifactType}
 * filter, and pulls the file back; without credentials it is refused. Through {@link GatewayStandIn}.
 */
@QuarkusTest
class OrasClientTest {

    private static final String TOKEN = "suite-token-for-oras";
    private static GatewayStandIn gateway;

    @BeforeEach
    void start() throws Exception {
        if (gateway == null) {
            gateway = GatewayStandIn.start(RestAssured.port, Registry.internalToken(), TOKEN, "operator");
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
    void orasAttachesASignatureWithASubjectAndFindsItThroughTheReferrersApi() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "oras-");
        Path sbom = Files.writeString(work.resolve("sbom.json"), "{\"spdxVersion\":\"SPDX-2.3\"}");
        Path signature = Files.writeString(work.resolve("sbom.sig"), "signed by the build");

        Map<String, String> out = oras("attach", gateway.host(), "ci", TOKEN, Registry.repository("oras"),
                sbom.toString(), signature.toString(), work.resolve("out").toString());

        String subject = out.get("subject");
        String attached = out.get("attached");
        assertTrue(subject.startsWith("sha256:") && !subject.equals(attached), out.toString());
        assertEquals(subject, out.get("attached.subject"));
        assertEquals(attached + " application/vnd.example.signature", out.get("referrers"));
        assertEquals(attached + " application/vnd.example.signature", out.get("referrers.signature"));
        assertEquals("", out.get("referrers.other"));
        assertEquals(Files.readString(sbom), out.get("pulled"));
    }

    @Test
    void orasWithoutCredentialsIsRefused() throws Exception {
        String repository = Registry.repository("oras");
        Registry.putManifest(repository, "v1", Registry.imageManifest(repository, Registry.bytes("{}"), List.of()))
                .then().statusCode(201);
        assertEquals("401", oras("anonymous", gateway.host(), repository).get("status"));
    }

    /** Runs {@link OrasCli} in its own JVM: the test class path with jackson-annotations 2.22 ahead of 2.21. */
    private static Map<String, String> oras(String... arguments) throws IOException, InterruptedException {
        Path annotations = Path.of("target/oras-client/jackson-annotations.jar").toAbsolutePath();
        assertTrue(Files.exists(annotations), "the build copies " + annotations + " (maven-dependency-plugin)");
        String classPath = annotations + File.pathSeparator + System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath, OrasCli.class.getName()));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), "oras-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("oras did not finish within 2 minutes:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0 && line.substring(0, equals).matches("[a-z.]+")) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }
}
