package dev.monkeytown.build.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildOutput;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.build.builds.StreakKey;
import dev.monkeytown.build.outputs.OciPush;
import dev.monkeytown.build.outputs.RegistryOutputs;
import dev.monkeytown.build.outputs.TestRegistry;
import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.ExamplePipelines;
import dev.monkeytown.build.pipeline.LocalRepository;
import dev.monkeytown.build.pipeline.PipelineCatalog;
import dev.monkeytown.build.queue.WaitReason;
import dev.monkeytown.runner.local.LocalRunner;
import dev.monkeytown.runner.local.Sandbox;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * The seeded example pipelines on the real local runner: the site pipeline builds from the repository and its outputs
 * land in a real OCI registry with the digests the build records; the checks pipeline, made to fail, retries, holds
 * after three failed builds, and runs again after an unhold.
 */
class LocalBuildsEndToEndTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void theExamplesBuildStoreFailHoldAndRunAgain(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        assertTrue(ExamplePipelines.seed(repo, "main"));
        assertTrue(!ExamplePipelines.seed(repo, "main"), "seeded once");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        AtomicReference<PipelineCatalog> catalog = new AtomicReference<>(BuildsFile.parse("r",
                local.buildsYaml(local.head("main").orElseThrow().sha())));
        assertEquals(List.of(), catalog.get().problems());

        TestRegistry registry = TestRegistry.start(home.resolve("registry"));
        closing.add(registry);
        LocalRunner runner = new LocalRunner(LocalRunner.Settings.defaults(repo, home.resolve("work"),
                home.resolve("logs")).withSandbox(Sandbox.choose(Sandbox.Mode.NONE, List.of(), List.of()))
                .withKillGrace(Duration.ofSeconds(1)));
        closing.add(runner);
        AtomicReference<BuildEngine> engineRef = new AtomicReference<>();
        RegistryOutputs outputs = new RegistryOutputs(home.resolve("outputs"), new OciPush(registry.base(),
                Map.of(), Duration.ofSeconds(10)), json,
                runId -> engineRef.get().view().live().values().stream()
                        .filter(b -> b.currentRunId().equals(Optional.of(runId))).findFirst()
                        .flatMap(b -> catalog.get().pipeline(b.pipeline())).map(p -> p.outputs()).orElse(List.of()));
        runner.collectWith(outputs);
        GroupCommitStateBranch branch = new GroupCommitStateBranch("build-service",
                new InMemoryRepository().branch("build-service"), StateBranchOptions.defaults());
        BuildBook book = new BuildBook(json);
        BuildEngine engine = new BuildEngine(new BuildEngine.Settings("build-service", 2, 15, Duration.ofMillis(20),
                Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(1)), branch, book, catalog::get,
                runner, local, outputs, BuildAnnouncer.NONE, Clock.systemUTC());
        engineRef.set(engine);
        closing.add(engine);
        engine.start();
        engine.restored().get(10, TimeUnit.SECONDS);

        // a real build from the repository, its outputs in the registry
        LocalRepository.Commit head = local.head("main").orElseThrow();
        Build site = engine.request("site", "main", head.sha(), head.tree(), BuildTrigger.MANUAL, "alice", null)
                .get(10, TimeUnit.SECONDS);
        await().atMost(60, TimeUnit.SECONDS).until(() -> book.find(branch, site.id()).orElseThrow().state()
                .isTerminal());
        Build built = book.find(branch, site.id()).orElseThrow();
        assertEquals(BuildState.SUCCEEDED, built.state(), () -> runner.log(built.attempts().get(0).runId(), -1,
                10000).map(l -> l.text()).orElse("no log"));
        assertEquals(List.of("dist/site/index.html", "dist/sources.tar"),
                built.outputs().stream().map(BuildOutput::path).toList());
        HttpClient http = HttpClient.newHttpClient();
        for (BuildOutput output : built.outputs()) {
            byte[] blob = http.send(HttpRequest.newBuilder(registry.base().resolve("/v2/builds/site/blobs/"
                    + output.digest())).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            assertEquals(output.digest(), "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(blob)));
            assertEquals(output.size(), blob.length);
        }
        assertEquals(200, http.send(HttpRequest.newBuilder(registry.base().resolve("/v2/builds/site/manifests/"
                + head.sha())).header("Accept", OciPush.MANIFEST_TYPE).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
        String index = new String(http.send(HttpRequest.newBuilder(registry.base().resolve("/v2/builds/site/blobs/"
                + built.outputs().get(0).digest())).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
        assertTrue(index.contains(head.sha()) && index.contains(site.id()), index);

        // make checks fail: three failed builds (each retried once, as declared) hold it on main
        Files.createDirectories(repo.resolve("build"));
        try (Git git = Git.open(repo.toFile())) {
            git.checkout().setName("main").call();
            Files.writeString(repo.resolve("build/FAIL"), "the test says so\n");
            git.add().addFilepattern("build/FAIL").call();
            git.commit().setMessage("make checks fail").setAuthor("tester", "t@example.com")
                    .setCommitter("tester", "t@example.com").call();
        }
        LocalRepository.Commit failing = local.head("main").orElseThrow();
        StreakKey checks = new StreakKey("checks", "main");
        for (int i = 0; i < 3; i++) {
            Build build = engine.request("checks", "main", failing.sha(), failing.tree(), BuildTrigger.MANUAL, "alice",
                    null).get(10, TimeUnit.SECONDS);
            await().atMost(60, TimeUnit.SECONDS).until(() -> book.find(branch, build.id()).orElseThrow().state()
                    .isTerminal());
            Build failed = book.find(branch, build.id()).orElseThrow();
            assertEquals(BuildState.FAILED, failed.state());
            assertEquals(2, failed.attempts().size(), "retried once, as declared");
            assertEquals(FailureClass.BUILD, failed.attempts().get(1).failureClass());
            assertTrue(runner.log(failed.attempts().get(1).runId(), -1, 10000).orElseThrow().text()
                    .contains("failing on purpose (attempt 2)"));
        }
        await().until(() -> engine.view().streaks().get(checks).held());
        Build waiting = engine.pushed("main", failing.sha(), failing.tree()).get(10, TimeUnit.SECONDS).stream()
                .filter(b -> b.pipeline().equals("checks")).findFirst().orElseThrow();
        await().until(() -> engine.view().waiting().get(waiting.id()) == WaitReason.HELD);
        engine.unhold("checks", "main", "alice", "watching it fail once more").get(10, TimeUnit.SECONDS);
        await().atMost(60, TimeUnit.SECONDS).until(() -> book.find(branch, waiting.id()).orElseThrow().state()
                .isTerminal());
        assertEquals(BuildState.FAILED, book.find(branch, waiting.id()).orElseThrow().state());
        assertTrue(engine.view().streaks().get(checks).held(), "one more failure after an unhold holds again");
    }
}
