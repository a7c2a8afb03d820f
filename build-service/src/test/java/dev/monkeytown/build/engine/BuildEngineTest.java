package dev.monkeytown.build.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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
import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.build.builds.StreakKey;
import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.PipelineCatalog;
import dev.monkeytown.build.queue.WaitReason;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/** The build loop against an in-memory state branch and a runner the test drives: no Quarkus, no processes. */
class BuildEngineTest {

    // commit ids as the runner library requires them (40 lower-case hex digits)
    private static final String SHA1 = "1".repeat(40);
    private static final String S1 = "a1".repeat(20);
    private static final String S2 = "b2".repeat(20);
    private static final String S3 = "c3".repeat(20);

    private static final PipelineCatalog PIPELINES = BuildsFile.parse("r1", """
            pipelines:
              app:
                command: make
                branches: [main]
                retry: {limit: 2, on: [infra, timeout], backoff: 0s}
              lib:
                command: make
                branches: [main]
            """);

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final BuildBook book = new BuildBook(json);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<BuildEngine> engines = new ArrayList<>();
    private InMemoryRepository repository;
    private GroupCommitStateBranch branch;

    @BeforeEach
    void open() {
        repository = new InMemoryRepository();
        branch = new GroupCommitStateBranch("build-service", repository.branch("build-service"),
                StateBranchOptions.defaults());
    }

    @AfterEach
    void close() {
        engines.forEach(BuildEngine::close);
    }

    private BuildEngine engine(FakeRunner runner, int parallelism, int daily) {
        BuildEngine engine = new BuildEngine(new BuildEngine.Settings("build-service", parallelism, daily,
                Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofHours(1), Duration.ofMinutes(5)), branch,
                book, () -> PIPELINES, runner, RunTarget.BRANCH, OutputPublisher.NONE,
                (type, subject, data) -> events.add(type + " " + subject), Clock.systemUTC());
        engines.add(engine);
        engine.start();
        engine.restored().orTimeout(10, TimeUnit.SECONDS).join();
        return engine;
    }

    private static <T> T join(CompletableFuture<T> future) {
        return future.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private Build stored(String id) {
        return book.find(branch, id).orElseThrow();
    }

    @Test
    void aRestartRestatesEveryLiveBuildAndTheLastEndedBuildOfEachBranch() {
        FakeRunner runner = new FakeRunner();
        BuildEngine first = engine(runner, 4, 15);
        Build ended = join(first.request("app", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.startsOf(ended.id() + "-1") == 1);
        runner.finish(ended.id() + "-1", new RunOutcome.Succeeded(false, java.time.Instant.now()));
        await().until(() -> stored(ended.id()).state() == BuildState.SUCCEEDED);
        Build live = join(first.request("lib", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        first.close();

        // what was told before the restart (the commit status a watcher posts) may never have left the process
        List<Build> restated = new java.util.concurrent.CopyOnWriteArrayList<>();
        BuildAnnouncer announcer = new BuildAnnouncer() {
            @Override
            public void publish(String type, String subject, Object data) {
            }

            @Override
            public void recorded(Build build) {
                restated.add(build);
            }
        };
        BuildEngine second = new BuildEngine(new BuildEngine.Settings("build-service", 4, 15, Duration.ofMillis(10),
                Duration.ofMillis(200), Duration.ofHours(1), Duration.ofMinutes(5)), branch, book, () -> PIPELINES,
                new FakeRunner(), RunTarget.BRANCH, OutputPublisher.NONE, announcer, Clock.systemUTC());
        engines.add(second);
        second.start();
        join(second.restored());
        await().atMost(5, TimeUnit.SECONDS).until(() -> restated.stream()
                .anyMatch(b -> b.id().equals(ended.id()) && b.state() == BuildState.SUCCEEDED)
                && restated.stream().anyMatch(b -> b.id().equals(live.id())));
    }

    @Test
    void aBuildIsRecordedBeforeItIsAnsweredAndRunsThroughItsStates() {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, 4, 15);
        Build build = join(engine.request("app", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        assertTrue(book.find(branch, build.id()).isPresent(), "the answer comes after the record exists");
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.startsOf(build.id() + "-1") == 1);
        assertEquals("1", runner.starts.get(0).environment().get("MONKEYTOWN_ATTEMPT"));
        assertEquals(SHA1, runner.starts.get(0).environment().get("MONKEYTOWN_SHA"));
        runner.start(build.id() + "-1");
        await().until(() -> stored(build.id()).state() == BuildState.RUNNING);
        runner.finish(build.id() + "-1", new RunOutcome.Succeeded(false, java.time.Instant.now()));
        await().until(() -> stored(build.id()).state() == BuildState.SUCCEEDED);
        assertTrue(book.history(branch, BuildBook.LIVE).isEmpty(), "an ended build leaves live/");
        await().until(() -> events.contains("build.succeeded " + build.id()));
        assertEquals(List.of("build.queued", "build.dispatched", "build.started", "build.succeeded"),
                events.stream().filter(e -> e.endsWith(build.id())).map(e -> e.split(" ")[0]).toList());
    }

    @Test
    void aBuildCancelledWhileItsStartIsOnTheWayIsStoppedAtTheRunnerOnceItArrives() {
        FakeRunner runner = new FakeRunner();
        runner.slowStart = new java.util.concurrent.CountDownLatch(1);
        BuildEngine engine = engine(runner, 4, 15);
        Build build = join(engine.request("app", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        String runId = build.id() + "-1";
        await().until(() -> stored(build.id()).state() == BuildState.DISPATCHED);

        join(engine.cancel(build.id(), "alice"));
        await().until(() -> runner.calls.contains("cancel " + runId)); // too early: the runner does not have it yet
        runner.slowStart.countDown();

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(List.of("start " + runId,
                "cancel " + runId), runner.calls.subList(runner.calls.indexOf("start " + runId), runner.calls.size()),
                "the run the runner began after the cancel must be stopped: " + runner.calls));
        assertEquals(BuildState.CANCELLED, stored(build.id()).state());
    }

    @Test
    void anUnreadableLiveRecordIsQuarantinedAndDoesNotStopTheRestart() {
        FakeRunner runner = new FakeRunner();
        BuildEngine first = engine(runner, 4, 15);
        Build kept = join(first.request("lib", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        first.close();
        String broken = BuildBook.livePath("01JZZZZZZZZZZZZZZZZZZZZZZZ");
        branch.apply(new dev.monkeytown.state.Change("an edit by hand gone wrong",
                dev.monkeytown.state.Actor.user("operator"),
                workspace -> workspace.put(broken, "{\"id\": \"01JZZZZZZZZZZZZZZZZZZZZZZZ\", \"state\": ".getBytes())))
                .await().indefinitely();

        // and one that parses but breaks what the loop relies on: running, with no attempt
        Build inconsistent = new Build("01JZZZZZZZZZZZZZZZZZZZZZZY", "lib", "main", SHA1, "tree1", BuildTrigger.MANUAL,
                "alice", BuildState.RUNNING, List.of(), List.of(), null, java.time.Instant.now(), null, null, null,
                null, 1);
        branch.apply(new dev.monkeytown.state.Change("another", dev.monkeytown.state.Actor.user("operator"),
                workspace -> workspace.put(BuildBook.livePath(inconsistent.id()), uncheckedJson(inconsistent))))
                .await().indefinitely();

        BuildEngine restarted = engine(runner, 4, 15); // waits for restored()

        assertTrue(restarted.view().live().containsKey(kept.id()), "the readable build is back");
        assertTrue(branch.read(broken).await().indefinitely().isEmpty(), "moved out of live/");
        String quarantined = new String(branch.read("quarantine/" + "01JZZZZZZZZZZZZZZZZZZZZZZZ.json").await()
                .indefinitely().orElseThrow().content());
        assertTrue(quarantined.contains("\"reason\"") && quarantined.contains("state"), quarantined);
        assertTrue(branch.read("quarantine/01JZZZZZZZZZZZZZZZZZZZZZZY.json").await().indefinitely().isPresent());
        assertFalse(restarted.view().live().containsKey(inconsistent.id()));
        // and the loop goes on: a new build runs (of another pipeline: lib on main still has its build in flight)
        Build next = join(restarted.request("app", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.startsOf(next.id() + "-1") == 1);
    }

    /** A record damaged on the branch (a bad write, a hand edit) must cost that record, not the whole history. */
    @Test
    void oneUnreadableRecordInTheHistoryHidesNoOtherBuild() {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, 4, 15);
        Build first = join(engine.request("lib", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        Build second = join(engine.request("app", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        engine.close();
        branch.apply(new dev.monkeytown.state.Change("a bad write", dev.monkeytown.state.Actor.user("operator"),
                workspace -> workspace.put(BuildBook.recordPath(first.id()), "{\"id\": ".getBytes())))
                .await().indefinitely();

        List<Build> history = book.history(branch, BuildBook.HISTORY);

        assertEquals(List.of(second.id()), history.stream().map(Build::id).toList());
    }

    private byte[] uncheckedJson(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void infraFailuresAreRetriedAsNewAttemptsAndBuildFailuresAreNot() {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, 4, 15);
        Build build = join(engine.request("app", "main", SHA1, "tree1", BuildTrigger.MANUAL, "alice", null));
        await().until(() -> runner.startsOf(build.id() + "-1") == 1);
        runner.finish(build.id() + "-1", RunOutcome.Failed.neverRan("runner lost", java.time.Instant.now()));
        await().until(() -> runner.startsOf(build.id() + "-2") == 1);
        runner.finish(build.id() + "-2", RunOutcome.Failed.exited(1, java.time.Instant.now()));
        await().until(() -> stored(build.id()).state() == BuildState.FAILED);
        Build failed = stored(build.id());
        assertEquals(FailureClass.INFRA, failed.attempts().get(0).failureClass());
        assertEquals(FailureClass.BUILD, failed.attempts().get(1).failureClass());
        assertEquals(1, failed.attempts().get(1).exitCode());
        assertEquals(2, runner.starts.size(), "a build failure is not retried by default");
    }

    @Test
    void threeFinalFailuresHoldAutomaticBuildsUntilAnUnhold() {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, 4, 15);
        for (int i = 1; i <= 3; i++) {
            // each push builds both pipelines: app succeeds every time, lib fails every time
            List<Build> pushed = join(engine.pushed("main", String.valueOf(i).repeat(40), "tree" + i));
            assertEquals(2, pushed.size());
            for (Build build : pushed) {
                await().until(() -> runner.startsOf(build.id() + "-1") == 1);
                runner.finish(build.id() + "-1", build.pipeline().equals("lib")
                        ? RunOutcome.Failed.exited(2, java.time.Instant.now())
                        : new RunOutcome.Succeeded(false, java.time.Instant.now()));
                await().until(() -> stored(build.id()).state().isTerminal());
            }
        }
        assertEquals(0, engine.view().streaks().getOrDefault(new StreakKey("app", "main"),
                dev.monkeytown.build.builds.Streak.clean(new StreakKey("app", "main"))).failures());
        StreakKey lib = new StreakKey("lib", "main");
        await().until(() -> engine.view().streaks().get(lib) != null && engine.view().streaks().get(lib).held());
        assertTrue(events.contains("build.held lib@main"));
        assertTrue(events.stream().anyMatch(e -> e.startsWith("alert.raised lib@main")));
        assertTrue(events.stream().anyMatch(e -> e.startsWith("build.still_failing")));

        Build waiting = join(engine.pushed("main", "4".repeat(40), "tree4")).stream()
                .filter(b -> b.pipeline().equals("lib")).findFirst().orElseThrow();
        await().until(() -> engine.view().waiting().get(waiting.id()) == WaitReason.HELD);
        assertEquals(0, runner.startsOf(waiting.id() + "-1"));

        CompletionException notHeld = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> join(engine.unhold("app", "main", "alice", "x")));
        assertInstanceOf(BuildRefusedException.NotHeld.class, notHeld.getCause());
        join(engine.unhold("lib", "main", "alice", "compiler fixed"));
        await().until(() -> runner.startsOf(waiting.id() + "-1") == 1);
        assertFalse(stored(waiting.id()).state() == BuildState.QUEUED);
        runner.finish(waiting.id() + "-1", new RunOutcome.Succeeded(false, java.time.Instant.now()));
        await().until(() -> events.contains("build.fixed " + waiting.id()));
        assertTrue(events.contains("alert.cleared lib@main"));
        assertEquals(0, engine.view().streaks().get(lib).failures());
        assertEquals("compiler fixed", engine.view().streaks().get(lib).unholds().get(0).reason());
    }

    @Test
    void theDailyMaximumHoldsAutomaticBuildsButNotManualOnes() {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, 4, 1);
        Build first = join(engine.pushed("main", SHA1, "tree1")).stream()
                .filter(b -> b.pipeline().equals("app")).findFirst().orElseThrow();
        await().until(() -> runner.starts.size() == 1);
        Build manual = join(engine.request("app", "other", "9".repeat(40), "tree9", BuildTrigger.MANUAL, "alice", null));
        await().until(() -> runner.startsOf(manual.id() + "-1") == 1);
        assertEquals(2, runner.starts.size(), "one automatic build a day, and the manual one");
        String blocked = engine.view().live().values().stream()
                .filter(b -> b.trigger() == BuildTrigger.PUSH && b.state() == BuildState.QUEUED)
                .findFirst().orElseThrow().id();
        await().until(() -> engine.view().waiting().get(blocked) == WaitReason.DAILY_CAP);
        assertTrue(runner.startsOf(first.id() + "-1") + runner.startsOf(blocked + "-1") == 1);
    }

    /**
     * The push watch's memory is the state branch, not the process: a push made while build-service was down is built
     * when it comes back (it was forgotten with the in-memory heads before), and a head already acted on is not built
     * again.
     */
    @Test
    void aPushMadeWhileTheServiceWasDownIsBuiltAfterARestart() {
        FakeRunner before = new FakeRunner();
        BuildEngine first = engine(before, 4, 15);
        assertEquals(List.of(), join(first.headSeen("main", S1, "t1")), "the first head seen is where watching starts");
        assertEquals(List.of(), join(first.headSeen("main", S1, "t1")));
        first.close();

        FakeRunner after = new FakeRunner();
        BuildEngine second = engine(after, 4, 15);
        assertEquals(List.of(), join(second.headSeen("main", S1, "t1")), "a head acted on before the restart");
        List<Build> built = join(second.headSeen("main", S2, "t2"));
        assertEquals(List.of("app", "lib"), built.stream().map(Build::pipeline).sorted().toList());
        assertTrue(built.stream().allMatch(b -> b.sha().equals(S2) && b.trigger() == BuildTrigger.PUSH));
        assertEquals(List.of(), join(second.headSeen("main", S2, "t2")), "the same head twice is one push");
        await().until(() -> after.starts.size() == 2);
        assertEquals(S2, second.view().heads().get("main"));
    }

    /**
     * A head decided against a recorded head that moved meanwhile (a push webhook crossing a lagging poll) is not
     * applied: an older commit never replaces, nor is built after, a later one.
     */
    @Test
    void aHeadDecidedAgainstAnOutdatedRecordIsNotApplied() {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, 4, 15);
        join(engine.headSeen("main", S1, "t1"));
        String s3 = "c3".repeat(20);
        List<Build> built = join(engine.headSeenIfRecorded("main", s3, "t3", S1)).orElseThrow();
        assertEquals(List.of("app", "lib"), built.stream().map(Build::pipeline).sorted().toList());

        // a poll that read S2 while the head was still S1 comes too late: the recorded head is S3 now
        assertEquals(java.util.Optional.empty(), join(engine.headSeenIfRecorded("main", S2, "t2", S1)));
        await().until(() -> s3.equals(engine.view().heads().get("main")));
        await().until(() -> runner.starts.size() == 2);
        assertTrue(runner.starts.stream().noneMatch(spec -> spec.commit().equals(java.util.Optional.of(S2))));
    }

    /** A branch a pipeline watches before it exists is built at its first commit, not taken for the starting point. */
    @Test
    void aBranchCreatedAfterWatchingStartedIsBuiltAtItsFirstCommit() {
        FakeRunner runner = new FakeRunner();
        BuildEngine engine = engine(runner, 4, 15);
        assertEquals(List.of(), join(engine.headSeen("main", "", "")), "absent: recorded as such");
        // the view follows the answer (it is published after the turn's commit)
        await().until(() -> "".equals(engine.view().heads().get("main")));

        List<Build> built = join(engine.headSeen("main", S1, "t1"));

        assertEquals(List.of("app", "lib"), built.stream().map(Build::pipeline).sorted().toList());
    }

    /** One head record nobody can use must not stop every restart (the loop's map would take a null). */
    @Test
    void aBrokenHeadRecordIsTakenAsNeverSeen() {
        for (String content : List.of("null", "{}", "{\"branch\":\"dev\",\"sha\":\"" + S1 + "\"}",
                "{\"branch\":\"main\",\"sha\":\"not-a-sha\"}")) {
            branch.apply(new dev.monkeytown.state.Change("hand edit", dev.monkeytown.state.Actor.service("test"),
                    w -> w.put(BuildBook.headPath("main"), content.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                    .await().indefinitely();
            BuildEngine engine = engine(new FakeRunner(), 4, 15);
            join(engine.restored());
            assertEquals(null, engine.view().heads().get("main"), content);
            assertEquals(List.of(), join(engine.headSeen("main", S2, "t2")), "a new starting point, unbuilt");
            engine.close();
        }
    }

    /** The dispatcher's recovery: a new engine over the same branch settles every attempt without running one twice. */
    @Test
    void aRestartLosesNothingAndRunsNothingTwice() {
        FakeRunner before = new FakeRunner();
        BuildEngine first = engine(before, 2, 15);
        Build running = join(first.request("app", "main", S1, "t1", BuildTrigger.MANUAL, "alice", null));
        Build dispatched = join(first.request("lib", "main", S2, "t2", BuildTrigger.MANUAL, "alice", null));
        Build queued = join(first.request("app", "dev", S3, "t3", BuildTrigger.MANUAL, "alice", null));
        await().until(() -> before.starts.size() == 2);
        before.start(running.id() + "-1");
        await().until(() -> stored(running.id()).state() == BuildState.RUNNING);
        first.close(); // the process is gone: no more reports, nothing else written

        FakeRunner after = new FakeRunner();
        // the runner that replaced the dead one: it saw the running attempt begin (and lost it), never the other
        after.truths.put(running.id() + "-1", new RunnerTruth.Finished(RunnerRef.of("fake"),
                RunOutcome.Failed.neverRan("no trace of this run's process", java.time.Instant.now())));
        after.truths.put(dispatched.id() + "-1", new RunnerTruth.Pending(RunnerRef.of("fake")));
        BuildEngine second = engine(after, 3, 15);
        await().until(() -> after.startsOf(running.id() + "-2") == 1);
        await().until(() -> after.startsOf(queued.id() + "-1") == 1);
        Build retried = stored(running.id());
        assertEquals(FailureClass.INFRA, retried.attempts().get(0).failureClass());
        assertEquals(0, after.startsOf(running.id() + "-1"), "the lost attempt is not started again");
        assertEquals(0, after.startsOf(dispatched.id() + "-1"), "an attempt the runner has is not started again");
        assertEquals(0, before.startsOf(queued.id() + "-1"));
        assertEquals(3, second.view().live().size());
    }

    @Test
    void anAttemptRecordedButNeverStartedIsStartedAfterARestart() {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        FakeRunner before = new FakeRunner() {
            @Override
            public RunnerRef start(dev.monkeytown.runner.RunSpec spec) {
                try {
                    never.await(); // the process dies while the call is out: the runner never hears of it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("gone");
            }
        };
        BuildEngine first = engine(before, 2, 15);
        Build build = join(first.request("app", "main", S1, "t1", BuildTrigger.MANUAL, "alice", null));
        await().until(() -> stored(build.id()).state() == BuildState.DISPATCHED);
        first.close();

        FakeRunner after = new FakeRunner();
        engine(after, 2, 15);
        await().until(() -> after.startsOf(build.id() + "-1") == 1);
        assertEquals(1, stored(build.id()).attempts().size(), "the same attempt, not a new one");
        assertEquals(1, after.starts.size());
    }
}
