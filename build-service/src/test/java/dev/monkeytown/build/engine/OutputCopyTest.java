package dev.monkeytown.build.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.PipelineCatalog;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * The copy of a successful attempt's outputs (GitHub mode: downloads of Actions artifacts) as the engine runs it: it
 * has its own deadline, so the build's timeout does not count it, and a copy that stalls never takes the threads that
 * start and inspect attempts.
 */
class OutputCopyTest {

    private static final String SHA = "a1".repeat(20);

    private static final PipelineCatalog PIPELINES = BuildsFile.parse("r1", """
            pipelines:
              site:
                command: make
                outputs: ["dist/**"]
                timeout: 1s
                retry: {limit: 0}
              slow:
                command: make
                outputs: ["dist/**"]
            """);

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final BuildBook book = new BuildBook(json);
    private final List<BuildEngine> engines = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger copying = new AtomicInteger();
    /** An output copy that takes until the test releases it. */
    private final OutputPublisher slowCopy = (build, pipeline, runId) -> {
        copying.incrementAndGet();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OutputPublisher.Published.NOTHING;
    };
    private GroupCommitStateBranch branch;

    @BeforeEach
    void open() {
        branch = new GroupCommitStateBranch("build-service", new InMemoryRepository().branch("build-service"),
                StateBranchOptions.defaults());
    }

    @AfterEach
    void close() {
        release.countDown();
        engines.forEach(BuildEngine::close);
    }

    private BuildEngine engine(FakeRunner runner) {
        BuildEngine engine = new BuildEngine(new BuildEngine.Settings("build-service", 8, 15, Duration.ofMillis(10),
                Duration.ofMillis(200), Duration.ofHours(1), Duration.ZERO), branch, book, () -> PIPELINES, runner,
                RunTarget.BRANCH, slowCopy, (type, subject, data) -> {
                }, Clock.systemUTC());
        engines.add(engine);
        engine.start();
        engine.restored().orTimeout(10, TimeUnit.SECONDS).join();
        return engine;
    }

    private static <T> T join(CompletableFuture<T> future) {
        return future.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void anAttemptWhoseRunFinishedIsNotTimedOutWhileItsOutputsAreCopied() throws Exception {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner);
        Build build = join(engine.request("site", "main", SHA, "tree", BuildTrigger.MANUAL, "alice", null));
        String runId = build.id() + "-1";
        await().until(() -> runner.startsOf(runId) == 1);
        runner.start(runId);
        await().until(() -> book.find(branch, build.id()).orElseThrow().state() == BuildState.RUNNING);
        runner.finish(runId, new RunOutcome.Succeeded(false, Instant.now()));
        await().until(() -> copying.get() == 1);

        Thread.sleep(2_000); // the pipeline's 1 s timeout (no grace) passes while the copy is under way
        release.countDown();

        await().until(() -> book.find(branch, build.id()).orElseThrow().state().isTerminal());
        Build ended = book.find(branch, build.id()).orElseThrow();
        assertEquals(BuildState.SUCCEEDED, ended.state(), "the run finished in time: " + ended.attempts());
        assertEquals(List.of(), runner.cancels, "nothing to stop at the runner");
    }

    @Test
    void stalledOutputCopiesLeaveTheRunnerCallsFree() throws Exception {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner);
        for (int i = 1; i <= 4; i++) {
            Build build = join(engine.request("slow", "branch-" + i, SHA, "tree", BuildTrigger.MANUAL, "alice", null));
            String runId = build.id() + "-1";
            await().until(() -> runner.startsOf(runId) == 1);
            runner.finish(runId, new RunOutcome.Succeeded(false, Instant.now()));
        }
        await().until(() -> copying.get() >= 1);
        Thread.sleep(1_000); // every copy that can start has started, and stalls

        Build fifth = join(engine.request("slow", "branch-5", SHA, "tree", BuildTrigger.MANUAL, "alice", null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.startsOf(fifth.id() + "-1") == 1);
    }
}
