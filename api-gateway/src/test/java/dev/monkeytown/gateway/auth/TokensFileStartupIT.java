package dev.monkeytown.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway, started as production starts it (prod profile, {@code java -jar}), must refuse to run with a
 * tokens file it cannot use: a gateway that comes up without the tokens an operator meant it to have would answer
 * every one of them 401, or worse, keep tokens the file was meant to replace.
 */
class TokensFileStartupIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @TempDir
    Path dir;

    @Test
    void aMalformedTokensFileStopsStartUp() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice admin sha256:" + "ab".repeat(32) + "\nbob operator sha256:not-hex\n");

        String output = startAndExpectExit(tokens);

        assertTrue(output.contains("tokens-file") && output.contains("line 2"), output);
    }

    @Test
    void aMissingTokensFileStopsStartUp() throws Exception {
        String output = startAndExpectExit(dir.resolve("no-such-file"));

        assertTrue(output.contains("tokens-file") && output.contains("no-such-file"), output);
    }

    /** Runs the jar until it exits; fails as soon as it reports having started. */
    private static String startAndExpectExit(Path tokensFile) throws Exception {
        assertTrue(Files.exists(JAR), "package the gateway first: " + JAR.toAbsolutePath());
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                "-Dmonkeytown.gateway.auth.tokens-file=" + tokensFile, "-jar", JAR.toString())
                .redirectErrorStream(true);
        builder.environment().put("MONKEYTOWN_INTERNAL_TOKEN", "tokens-file-startup-it-0123456789");
        Process gateway = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.contains("started in")) {
                    gateway.destroyForcibly();
                    throw new AssertionError("the gateway started with a tokens file it cannot use:\n" + output);
                }
            }
        } finally {
            if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
        assertNotEquals(0, gateway.exitValue(), output.toString());
        return output.toString();
    }
}
