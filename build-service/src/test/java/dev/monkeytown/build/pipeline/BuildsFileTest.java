package dev.monkeytown.build.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.build.builds.RetryPolicy;

class BuildsFileTest {

    @Test
    void readsTheIssuesExample() {
        PipelineCatalog catalog = BuildsFile.parse("r1", """
                pipelines:
                  app:
                    command: "./build.sh"
                    workflow: build-app.yml
                    branches: ["main"]
                    outputs: ["dist/**"]
                    timeout: 30m
                    retry: {limit: 2, on: [infra, timeout], backoff: 30s}
                """);
        assertEquals(List.of(), catalog.problems());
        Pipeline app = catalog.pipeline("app").orElseThrow();
        assertEquals(Optional.of("./build.sh"), app.command());
        assertEquals(Optional.of("build-app.yml"), app.workflow());
        assertEquals(List.of("main"), app.branches());
        assertEquals(Duration.ofMinutes(30), app.timeout());
        assertEquals(new RetryPolicy(2, EnumSet.of(FailureClass.INFRA, FailureClass.TIMEOUT), Duration.ofSeconds(30)),
                app.retry());
        assertEquals(List.of(app), catalog.onPush("main"));
        assertEquals("builds/app", app.repository());
    }

    @Test
    void aBadEntryIsAListedProblemAndTheOthersStay() {
        PipelineCatalog catalog = BuildsFile.parse("r1", """
                pipelines:
                  good:
                    command: make
                  typo:
                    command: make
                    ouputs: ["dist/**"]
                  Upper:
                    command: make
                  nothing-to-run:
                    branches: [main]
                  bad-retry:
                    command: make
                    retry: {limit: 2, on: [sometimes]}
                  escape:
                    command: make
                    outputs: ["../secrets/**"]
                  slow:
                    command: make
                    timeout: 7h
                """);
        assertEquals(List.of("good"), List.copyOf(catalog.pipelines().keySet()));
        assertEquals(6, catalog.problems().size(), catalog.problems().toString());
        assertTrue(catalog.problems().stream().anyMatch(p -> "typo".equals(p.pipeline()) && "ouputs".equals(p.field())));
        assertTrue(catalog.problems().stream().anyMatch(p -> "bad-retry".equals(p.pipeline())
                && "retry.on".equals(p.field())));
        assertTrue(catalog.problems().stream().anyMatch(p -> "escape".equals(p.pipeline())
                && "outputs".equals(p.field())));
    }

    @Test
    void aBrokenFileIsOneProblemNotACrash() {
        PipelineCatalog catalog = BuildsFile.parse("r1", "pipelines: [unclosed");
        assertTrue(catalog.pipelines().isEmpty());
        assertTrue(catalog.problems().get(0).message().startsWith("not valid YAML"), catalog.problems().toString());
        assertEquals(1, BuildsFile.parse("r1", "pipelines:\n  a: {command: x}\n  a: {command: y}\n").problems().size(),
                "a duplicate key is reported, not last-one-wins");
        assertTrue(BuildsFile.parse("r1", "").problems().isEmpty());
    }

    @Test
    void outputGlobsMatchRegularFilesInsideTheCheckout(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("dist/sub"));
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve("dist/a.txt"), "a");
        Files.writeString(root.resolve("dist/sub/b.txt"), "b");
        Files.writeString(root.resolve("README.md"), "r");
        Files.writeString(root.resolve(".git/config"), "c");
        Files.createSymbolicLink(root.resolve("dist/link"), Path.of("/etc/passwd"));
        assertEquals(List.of("dist/a.txt", "dist/sub/b.txt"), new OutputGlobs(List.of("dist/**")).match(root));
        assertEquals(List.of("README.md"), new OutputGlobs(List.of("*.md")).match(root));
    }
}
