package dev.monkeytown.build.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.monkeytown.build.builds.Attempt;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.PipelineCatalog;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * The copy of a successful attempt's outputs (GitHub mode: downloads of Actions artifacts) as the engine runs it: it
 * has its own deadline ({@code copy-timeout}, from when it starts running), so the build's timeout does not count it,
 * a copy past it or of a cancelled build is stopped, a copy that stalls never takes the threads that start and inspect
 * attempts, and whatever a copy or a classification throws (an {@link Error} too) ends the attempt. Time is the
 * test's clock, moved by hand, so no deadline depends on how loaded the machine is.
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

    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(30);

    /** The engine's clock: moves only when the test moves it. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private final TestClock clock = new TestClock();
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
        return engine(runner, slowCopy, FailureEvidence.NONE);
    }

    private BuildEngine engine(FakeRunner runner, OutputPublisher copy, FailureEvidence evidence) {
        BuildEngine engine = new BuildEngine(new BuildEngine.Settings("build-service", 8, 15, Duration.ofMillis(10),
                Duration.ofMillis(200), Duration.ofHours(1), Duration.ZERO, COPY_TIMEOUT, Duration.ofMillis(50)), branch, book,
                () -> PIPELINES, runner, RunTarget.BRANCH, copy, evidence, (type, subject, data) -> {
                }, clock);
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

        clock.advance(Duration.ofMinutes(5)); // the pipeline's 1 s timeout (no grace) passes while the copy is under way
        Thread.sleep(200); // twenty ticks of the loop see it
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

    /** Runs a build of {@code pipeline} until its run finished as told; answers the attempt's run id. */
    private String finishedRun(BuildEngine engine, FakeRunner runner, String pipeline, RunOutcome outcome) {
        Build build = join(engine.request(pipeline, "main", SHA, "tree", BuildTrigger.MANUAL, "alice", null));
        String runId = build.id() + "-1";
        await().until(() -> runner.startsOf(runId) == 1);
        runner.start(runId);
        await().until(() -> book.find(branch, build.id()).orElseThrow().state() == BuildState.RUNNING);
        runner.finish(runId, outcome);
        return runId;
    }

    private Build ended(String runId) {
        String id = runId.substring(0, runId.lastIndexOf('-'));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> book.find(branch, id).orElseThrow().state().isTerminal());
        return book.find(branch, id).orElseThrow();
    }

    private static Attempt last(Build build) {
        return build.attempts().get(build.attempts().size() - 1);
    }

    @Test
    void anErrorWhileCopyingOutputsStillEndsTheAttempt() {
        FakeRunner runner = new FakeRunner();
        OutputPublisher exhausted = (build, pipeline, runId) -> {
            throw new NoClassDefFoundError("test: a class the copy needs could not be loaded");
        };
        BuildEngine engine = engine(runner, exhausted, FailureEvidence.NONE);

        Build ended = ended(finishedRun(engine, runner, "site", new RunOutcome.Succeeded(false, Instant.now())));

        assertEquals(BuildState.FAILED, ended.state(), ended.attempts().toString());
        assertEquals(FailureClass.INFRA, last(ended).failureClass());
    }

    @Test
    void anErrorWhileClassifyingAFailureStillEndsTheAttempt() {
        FakeRunner runner = new FakeRunner();
        FailureEvidence exhausted = new FailureEvidence() {
            @Override
            public boolean wanted(RunnerRef ref, RunOutcome outcome) {
                return true;
            }

            @Override
            public Optional<String> runnerLost(RunnerRef ref) {
                throw new NoClassDefFoundError("test: a class the jobs read needs could not be loaded");
            }
        };
        BuildEngine engine = engine(runner, slowCopy, exhausted);

        Build ended = ended(finishedRun(engine, runner, "site", RunOutcome.Failed.exited(1, Instant.now())));

        assertEquals(BuildState.FAILED, ended.state(), ended.attempts().toString());
        assertEquals(FailureClass.BUILD, last(ended).failureClass(), "no evidence: the run's own verdict");
    }

    @Test
    void aJobsReadThatFailsIsTriedAgainBeforeTheRunsVerdictStands() {
        FakeRunner runner = new FakeRunner();
        AtomicInteger reads = new AtomicInteger();
        FailureEvidence flaky = new FailureEvidence() {
            @Override
            public boolean wanted(RunnerRef ref, RunOutcome outcome) {
                return true;
            }

            @Override
            public Optional<String> runnerLost(RunnerRef ref) throws java.io.IOException {
                if (reads.incrementAndGet() < 3) {
                    throw new java.io.IOException("GitHub answered HTTP 502 listing the jobs"); // as WorkflowJobs does
                }
                return Optional.of("job build failed with no failed step: its runner was lost");
            }
        };
        BuildEngine engine = engine(runner, slowCopy, flaky);

        Build ended = ended(finishedRun(engine, runner, "site", RunOutcome.Failed.exited(1, Instant.now())));

        // the attempt ended only once the third read answered (the fake runner's kind is classified by its exit
        // code whatever the evidence says: AttemptResultTest covers what a lost runner makes of a GitHub failure)
        assertEquals(3, reads.get(), "two failed reads, then the answer: " + ended.attempts());
    }

    @Test
    void aJobsReadThatKeepsFailingLeavesTheRunsVerdictAfterBoundedTries() throws Exception {
        FakeRunner runner = new FakeRunner();
        AtomicInteger reads = new AtomicInteger();
        FailureEvidence down = new FailureEvidence() {
            @Override
            public boolean wanted(RunnerRef ref, RunOutcome outcome) {
                return true;
            }

            @Override
            public Optional<String> runnerLost(RunnerRef ref) throws java.io.IOException {
                reads.incrementAndGet();
                throw new java.io.IOException("GitHub answered HTTP 404 listing the jobs");
            }
        };
        BuildEngine engine = engine(runner, slowCopy, down);

        Build ended = ended(finishedRun(engine, runner, "site", RunOutcome.Failed.exited(1, Instant.now())));

        assertEquals(FailureClass.BUILD, last(ended).failureClass());
        Thread.sleep(300);
        assertEquals(3, reads.get(), "three tries, no more");
    }

    @Test
    void outputsThatWillBeRefusedAgainFailTheAttemptAsBuildNotInfra() {
        FakeRunner runner = new FakeRunner();
        OutputPublisher tooMany = (build, pipeline, runId) -> {
            throw new OutputRefusedException("the artifacts hold more than 10000 entries");
        };
        BuildEngine engine = engine(runner, tooMany, FailureEvidence.NONE);

        Build ended = ended(finishedRun(engine, runner, "site", new RunOutcome.Succeeded(false, Instant.now())));

        assertEquals(FailureClass.BUILD, last(ended).failureClass(), "a re-run makes the same artifacts");
    }

    /** A copy that takes until it is interrupted, and says whether it was. */
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final CountDownLatch copyEnded = new CountDownLatch(1);
    private final OutputPublisher endlessCopy = (build, pipeline, runId) -> {
        copying.incrementAndGet();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            interrupted.set(true);
            throw new java.io.InterruptedIOException("the copy was stopped");
        } finally {
            copyEnded.countDown();
        }
        return OutputPublisher.Published.NOTHING;
    };

    @Test
    void aCopyPastTheCopyTimeoutIsStoppedAndFailsTheAttemptAsInfra() throws Exception {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, endlessCopy, FailureEvidence.NONE);
        String runId = finishedRun(engine, runner, "site", new RunOutcome.Succeeded(false, Instant.now()));
        await().until(() -> copying.get() == 1);

        clock.advance(COPY_TIMEOUT.minusMinutes(1));
        Thread.sleep(200);
        assertEquals(1, copyEnded.getCount(), "within copy-timeout: the copy goes on");
        clock.advance(Duration.ofMinutes(2));

        Build ended = ended(runId);
        assertEquals(BuildState.FAILED, ended.state(), ended.attempts().toString());
        assertEquals(FailureClass.INFRA, last(ended).failureClass());
        assertTrue(last(ended).reason().contains("copy-timeout"), last(ended).reason());
        assertTrue(copyEnded.await(5, TimeUnit.SECONDS), "the copy was stopped");
        assertTrue(interrupted.get());
    }

    @Test
    void cancellingABuildWhoseOutputsAreCopiedStopsTheCopy() throws Exception {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, endlessCopy, FailureEvidence.NONE);
        String runId = finishedRun(engine, runner, "slow", new RunOutcome.Succeeded(false, Instant.now()));
        await().until(() -> copying.get() == 1);

        join(engine.cancel(runId.substring(0, runId.lastIndexOf('-')), "alice"));

        assertTrue(copyEnded.await(5, TimeUnit.SECONDS), "a cancelled build's copy stops: no tags pushed for it");
        assertTrue(interrupted.get());
        assertEquals(BuildState.CANCELLED, ended(runId).state());
    }
}
