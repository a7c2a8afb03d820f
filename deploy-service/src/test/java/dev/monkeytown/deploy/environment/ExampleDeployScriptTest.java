package dev.monkeytown.deploy.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded {@code deploy/deploy.sh} run with /bin/sh as a deployment runs it: each deployment lands in its own release
 * folder, {@code current} names the newest, and only the five newest releases stay on disk, with the one {@code current}
 * names.
 */
class ExampleDeployScriptTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheFiveNewestReleasesStayAndCurrentNamesTheNewest() throws Exception {
        Path script = seed();
        Path environment = dir.resolve("environment");
        for (int i = 1; i <= 7; i++) {
            deploy(script, environment, "01JDEPLOY" + i, "sha" + i);
        }

        assertEquals(List.of("01JDEPLOY3", "01JDEPLOY4", "01JDEPLOY5", "01JDEPLOY6", "01JDEPLOY7"),
                releases(environment));
        assertEquals("releases/01JDEPLOY7", Files.readSymbolicLink(environment.resolve("current")).toString());
        assertEquals("sha7\n", Files.readString(environment.resolve("current/REVISION")));
    }

    @Test
    void theReleaseCurrentNamesStaysEvenWhenItsIdSortsOldest() throws Exception {
        Path script = seed();
        Path environment = dir.resolve("environment");
        for (int i = 2; i <= 7; i++) {
            deploy(script, environment, "01JDEPLOY" + i, "sha" + i);
        }
        // an id that sorts before the others (a clock that stepped back, a replica whose clock lags)
        deploy(script, environment, "01JDEPLOY1", "sha1");

        assertEquals(List.of("01JDEPLOY1", "01JDEPLOY3", "01JDEPLOY4", "01JDEPLOY5", "01JDEPLOY6", "01JDEPLOY7"),
                releases(environment));
        assertEquals("sha1\n", Files.readString(environment.resolve("current/REVISION")));
    }

    private Path seed() throws IOException {
        Path script = dir.resolve("deploy.sh");
        try (var in = ExampleDeployScriptTest.class.getResourceAsStream("/example-repository/deploy.sh")) {
            Files.copy(in, script);
        }
        Path site = dir.resolve("artifacts/site/dist/site");
        Files.createDirectories(site);
        Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
        Files.createDirectories(dir.resolve("environment"));
        return script;
    }

    private void deploy(Path script, Path environment, String id, String sha) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", script.toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("MONKEYTOWN_ARTIFACTS", dir.resolve("artifacts").toString());
        builder.environment().put("MONKEYTOWN_ENVIRONMENT_DIR", environment.toString());
        builder.environment().put("MONKEYTOWN_ENVIRONMENT", "staging");
        builder.environment().put("MONKEYTOWN_DEPLOYMENT_ID", id);
        builder.environment().put("MONKEYTOWN_SHA", sha);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), output);
    }

    private static List<String> releases(Path environment) throws IOException {
        try (Stream<Path> entries = Files.list(environment.resolve("releases"))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
