package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.local.ExampleSeed.ExampleFile;

class ExampleSeedTest {

    @TempDir
    Path directory;

    private final ExampleSeed agents = seed(".monkeytown/agents.yaml", "agents@test", "Seed agents\n");
    private final ExampleSeed pipelines = seed(".monkeytown/builds.yaml", "builds@test", "Seed pipelines\n");

    @Test
    void twoSeedersEndWithBothExamplesWhicheverStartsFirst() throws Exception {
        Path repo = newRepository();

        assertTrue(pipelines.seed(repo, "main"));
        assertTrue(agents.seed(repo, "main"), "a branch holding only seed commits is still the seeders'");

        String files = GitCli.output(repo, "ls-tree", "-r", "--name-only", "main");
        assertTrue(files.contains(".monkeytown/agents.yaml") && files.contains(".monkeytown/builds.yaml"), files);
        assertEquals("2", GitCli.output(repo, "rev-list", "--count", "main").trim());
        assertEquals("100755", GitCli.output(repo, "ls-tree", "main", "build.sh").split(" ")[0]);
        assertEquals("", GitCli.output(repo, "status", "--porcelain"), "the work tree follows the seeded branch");
    }

    /**
     * The launcher starts every service at once, and each seeds the same fresh repository from its own process: the ref
     * update and the check-out of one must not trip over another's (seen: build-service refusing to start in CI).
     */
    @RepeatedTest(10)
    void seedersStartingTogetherAllLandAndLeaveACleanCheckout() throws Exception {
        Path repo = newRepository();
        ExampleSeed environments = seed(".monkeytown/environments.yaml", "deploy@test", "Seed environments\n");
        List<ExampleSeed> seeders = List.of(agents, pipelines, environments);
        CyclicBarrier start = new CyclicBarrier(seeders.size());
        ExecutorService pool = Executors.newFixedThreadPool(seeders.size());
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (ExampleSeed seeder : seeders) {
                results.add(pool.submit(() -> {
                    start.await();
                    return seeder.seed(repo, "main");
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(30, TimeUnit.SECONDS), "every seeder lands its examples");
            }
        } finally {
            pool.shutdownNow();
        }

        String files = GitCli.output(repo, "ls-tree", "-r", "--name-only", "main");
        for (String declaration : List.of("agents.yaml", "builds.yaml", "environments.yaml")) {
            assertTrue(files.contains(".monkeytown/" + declaration), files);
        }
        assertEquals("3", GitCli.output(repo, "rev-list", "--count", "main").trim());
        assertEquals("", GitCli.output(repo, "status", "--porcelain"), "the work tree follows the seeded branch");
    }

    /** As the launcher starts the services: each seeder a process of its own (a monitor in one JVM cannot help). */
    @RepeatedTest(5)
    void seedersInSeparateProcessesAllLandAndLeaveACleanCheckout() throws Exception {
        Path repo = newRepository();
        Path go = directory.resolve("go");
        List<String> declarations = List.of(".monkeytown/agents.yaml", ".monkeytown/builds.yaml",
                ".monkeytown/environments.yaml");
        List<Process> seeders = new ArrayList<>();
        List<Path> ready = new ArrayList<>();
        for (int i = 0; i < declarations.size(); i++) {
            ready.add(directory.resolve("ready-" + i));
            seeders.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), SeederProcess.class.getName(), repo.toString(),
                    declarations.get(i), ready.get(i).toString(), go.toString()).redirectErrorStream(true).start());
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!ready.stream().allMatch(Files::exists) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Files.writeString(go, "go");
            for (Process seeder : seeders) {
                assertTrue(seeder.waitFor(60, TimeUnit.SECONDS), "a seeder hangs");
                String output = new String(seeder.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, seeder.exitValue(), output);
            }
        } finally {
            seeders.forEach(Process::destroyForcibly);
        }

        String files = GitCli.output(repo, "ls-tree", "-r", "--name-only", "main");
        for (String declaration : declarations) {
            assertTrue(files.contains(declaration), files);
        }
        assertEquals("", GitCli.output(repo, "status", "--porcelain"), "the work tree follows the seeded branch");
    }

    @Test
    void aSeederAddsItsExamplesOnce() throws Exception {
        Path repo = newRepository();

        assertTrue(agents.seed(repo, "main"));
        assertFalse(agents.seed(repo, "main"));
    }

    @Test
    void aBranchSomeoneWorkedOnIsNeverTouched() throws Exception {
        Path repo = newRepository();
        Files.writeString(repo.resolve("notes.md"), "mine");
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern("notes.md").call();
            git.commit().setAuthor("Ada", "ada@example.org").setCommitter("Ada", "ada@example.org").setMessage("mine")
                    .call();
        }

        assertFalse(agents.seed(repo, "main"));
        assertFalse(GitCli.output(repo, "ls-tree", "-r", "--name-only", "main").contains("agents.yaml"));
    }

    private Path newRepository() throws Exception {
        Path repo = directory.resolve("repo");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            return repo;
        }
    }

    private static ExampleSeed seed(String declaration, String email, String message) {
        byte[] content = "example\n".getBytes(StandardCharsets.UTF_8);
        return new ExampleSeed(declaration, List.of(new ExampleFile(declaration, content, false),
                new ExampleFile(declaration.endsWith("builds.yaml") ? "build.sh" : "README.md", content,
                        declaration.endsWith("builds.yaml"))),
                email, message);
    }
}
