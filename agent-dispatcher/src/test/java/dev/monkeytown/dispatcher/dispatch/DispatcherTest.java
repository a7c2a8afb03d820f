package dev.monkeytown.dispatcher.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.registry.AgentCatalog;
import dev.monkeytown.dispatcher.registry.AgentsFile;
import dev.monkeytown.dispatcher.runner.AgentRunner;
import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunHistory;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/** The dispatch loop against an in-memory state branch and a runner the test drives: fast, no Quarkus. */
class DispatcherTest {

    private static final String AGENTS = """
            agents:
              alpha:
                command: "true"
              beta:
                command: "true"
              slow:
                command: "true"
                timeout: 1s
            """;
    private static final String WATCHED = AGENTS + """
              watcher:
                command: "true"
                paths: ["docs/**"]
            """;
    /** Only for the schedule test: a per-minute agent elsewhere would add runs whenever a test spans a minute. */
    private static final String SCHEDULED = """
            agents:
              ticker:
                command: "true"
                schedule: "* * * * *"
            """;

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module());
    private final RunBook book = new RunBook(json);
    private final AgentCatalog catalog = AgentsFile.parse(AGENTS);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Dispatcher> started = new ArrayList<>();
    private InMemoryRepository repository;
    private GroupCommitStateBranch branch;

    @BeforeEach
    void openBranch() {
        repository = new InMemoryRepository();
        branch = new GroupCommitStateBranch("agent-dispatcher", repository.branch("agent-dispatcher"),
                StateBranchOptions.defaults());
    }

    @AfterEach
    void close() {
        started.forEach(Dispatcher::close);
        branch.close();
    }

    @Test
    void answersOnlyOnceTheRunIsOnTheBranchAndAnnouncesIt() {
        Dispatcher dispatcher = start(new FakeRunner(), catalog);

        RunRecord queued = dispatcher.request("alpha", new Trigger.Manual("ada")).join();

        assertEquals(RunState.QUEUED, queued.run().state());
        assertTrue(branch.read(RunBook.recordPath(queued.id())).await().indefinitely().isPresent());
        assertTrue(events.contains("run.queued " + queued.id()));
    }

    @Test
    void unknownAgentIsRefusedAndNothingIsWritten() {
        Dispatcher dispatcher = start(new FakeRunner(), catalog);

        CompletionException failure = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> dispatcher.request("nobody", new Trigger.Manual("ada")).join());

        assertInstanceOf(UnknownAgentException.class, failure.getCause());
        assertTrue(branch.list(RunBook.HISTORY).await().indefinitely().isEmpty());
    }

    @Test
    void oneRunPerAgentAndTheNextStartsWhenItEnds() {
        FakeRunner runner = new FakeRunner();
        Dispatcher dispatcher = start(runner, catalog);
        String a1 = dispatcher.request("alpha", manual()).join().id();
        String a2 = dispatcher.request("alpha", manual()).join().id();
        String b1 = dispatcher.request("beta", manual()).join().id();

        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.starts.containsAll(List.of(a1, b1)));
        assertFalse(runner.starts.contains(a2), "alpha already has an active run");

        runner.reportStarted(a1);
        runner.reportFinished(a1, new RunOutcome.Succeeded(false, Instant.now()));

        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.starts.contains(a2));
        assertEquals(RunState.SUCCEEDED, stored(a1).run().state());
        assertEquals(1, runner.starts.stream().filter(a1::equals).count());
        assertTrue(events.indexOf("run.started " + a1) < events.indexOf("run.succeeded " + a1));
    }

    @Test
    void runnerOutagePausesDispatchAndNothingStartsTwiceWhenItReturns() {
        FakeRunner runner = new FakeRunner();
        runner.unavailable = true;
        Dispatcher dispatcher = start(runner, catalog);
        String a1 = dispatcher.request("alpha", manual()).join().id();
        String a2 = dispatcher.request("alpha", manual()).join().id();

        await().atMost(5, TimeUnit.SECONDS).until(() -> dispatcher.pausedBecause().isPresent());
        assertEquals(RunState.QUEUED, stored(a2).run().state(), "queued runs stay queued during the outage");

        runner.unavailable = false;

        await().atMost(10, TimeUnit.SECONDS).until(() -> runner.starts.contains(a1));
        await().atMost(5, TimeUnit.SECONDS).until(() -> dispatcher.pausedBecause().isEmpty());
        assertEquals(List.of(a1), runner.starts, "started once, and the second waits for the first");
    }

    @Test
    void timedOutRunsAreStoppedAtTheRunnerAndRecorded() {
        FakeRunner runner = new FakeRunner();
        Dispatcher dispatcher = start(runner, catalog);
        String id = dispatcher.request("slow", manual()).join().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.starts.contains(id));
        runner.reportStarted(id); // the timeout counts from here

        await().atMost(10, TimeUnit.SECONDS).until(() -> stored(id).run().state() == RunState.TIMED_OUT);
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.cancels.contains(id));
        assertTrue(stored(id).reason().orElseThrow().contains("timed out"));
        assertTrue(events.contains("run.timed_out " + id));
    }

    @Test
    void aRunThatNeverStartsIsNotTimedOutButFailedOnceTheStartBoundPasses() {
        FakeRunner runner = new FakeRunner();
        MovableClock clock = new MovableClock(Instant.now());
        Dispatcher dispatcher = start(runner, catalog, clock, Duration.ofHours(1));
        String id = dispatcher.request("slow", manual()).join().id(); // slow: a one-second timeout
        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(id).runner().isPresent());

        clock.advance(Duration.ofMinutes(31)); // an Actions outage: accepted, never picked up
        dispatcher.request("alpha", manual()).join(); // a turn at the new time

        assertEquals(RunState.DISPATCHED, stored(id).run().state(), "a run that never ran did not run too long");

        clock.advance(Duration.ofMinutes(30));
        dispatcher.request("beta", manual()).join();

        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(id).run().state() == RunState.FAILED);
        assertTrue(stored(id).reason().orElseThrow().contains("did not start it within PT1H"), stored(id).reason()
                .toString());
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.cancels.contains(id));
    }

    @Test
    void aStartWhoseAnswerWasLostIsNotRepeatedWhileTheRunnerCannotTell() {
        FakeRunner runner = new FakeRunner();
        MovableClock clock = new MovableClock(Instant.now());
        runner.loseNextStartAnswers = 1;
        runner.unconfirmedUntil = clock.instant().plus(Duration.ofMinutes(5));
        Dispatcher dispatcher = start(runner, catalog, clock, Duration.ofHours(1));
        String id = dispatcher.request("alpha", manual()).join().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> dispatcher.pausedBecause().isPresent());

        clock.advance(Duration.ofSeconds(2)); // past the pause: the dispatcher asks the runner before trying again
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.inspections.contains(id));
        for (String agent : List.of("beta", "beta", "beta")) {
            dispatcher.request(agent, manual()).join(); // more turns, well inside the runner's window
        }

        assertEquals(1, runner.starts.stream().filter(id::equals).count(), "started twice: " + runner.starts);

        clock.advance(Duration.ofMinutes(5)); // the listing caught up: the runner now has it
        runner.unconfirmedUntil = null;
        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(id).runner().isPresent());
        assertEquals(1, runner.starts.stream().filter(id::equals).count(), "started twice: " + runner.starts);
    }

    @Test
    void cancelEndsAQueuedRunAndRefusesAFinishedOne() {
        FakeRunner runner = new FakeRunner();
        runner.unavailable = true; // keep everything queued
        Dispatcher dispatcher = start(runner, catalog);
        dispatcher.request("alpha", manual()).join();
        String queued = dispatcher.request("alpha", manual()).join().id();

        RunRecord cancelled = dispatcher.cancel(queued, "ada").join();

        assertEquals(RunState.CANCELLED, cancelled.run().state());
        assertEquals("cancelled by ada", cancelled.reason().orElseThrow());
        CompletionException again = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> dispatcher.cancel(queued, "ada").join());
        assertInstanceOf(RunAlreadyFinishedException.class, again.getCause());
    }

    @Test
    void restartRestoresQueuedAndActiveRunsWithoutStartingAnyTwice() {
        FakeRunner before = new FakeRunner();
        Dispatcher first = start(before, catalog);
        String running = first.request("alpha", manual()).join().id();
        String waiting = first.request("alpha", manual()).join().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> before.starts.contains(running)
                && stored(running).runner().isPresent());
        before.reportStarted(running);
        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(running).run().state() == RunState.RUNNING);
        first.close(); // the process is gone; the runner (GitHub) still has the run

        FakeRunner after = new FakeRunner();
        after.truths.putAll(before.truths);
        Dispatcher second = start(after, catalog);
        second.restored().join();

        assertEquals(1, second.activeCount());
        assertEquals(1, second.queuedCount());
        after.reportFinished(running, new RunOutcome.Succeeded(false, Instant.now()));
        await().atMost(5, TimeUnit.SECONDS).until(() -> after.starts.contains(waiting));
        assertFalse(after.starts.contains(running), "the running run is not started again");
        assertEquals(RunState.SUCCEEDED, stored(running).run().state());
    }

    @Test
    void aRunTheRunnerForgotAcrossARestartIsRecordedAsFailed() {
        FakeRunner before = new FakeRunner();
        Dispatcher first = start(before, catalog);
        String id = first.request("alpha", manual()).join().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(id).runner().isPresent());
        first.close();

        start(new FakeRunner(), catalog); // a local runner after a restart knows nothing

        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(id).run().state() == RunState.FAILED);
        assertTrue(stored(id).reason().orElseThrow().contains("no trace"));
    }

    @Test
    void missedScheduleTicksCollapseIntoOneRun() {
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(30));
        branch.apply(new Change("seed", Actor.service("test"),
                ws -> book.stageTick(ws, "ticker", longAgo))).await().indefinitely();
        FakeRunner runner = new FakeRunner();
        runner.unavailable = true;
        Instant started = Instant.now();
        start(runner, AgentsFile.parse(SCHEDULED));

        await().atMost(5, TimeUnit.SECONDS).until(() -> events.stream().anyMatch(e -> e.startsWith("run.queued")));
        sleepQuietly(1500); // a few more turns: no more runs for the missed ticks may appear
        // a minute boundary during the test is a new, legitimate tick: count only the runs for ticks missed before
        List<RunRecord> forMissedTicks = book.history(branch).stream()
                .filter(r -> !((Trigger.Scheduled) r.run().trigger()).tick().isAfter(started))
                .toList();
        assertEquals(1, forMissedTicks.size(), "30 missed ticks are one run");
        assertTrue(((Trigger.Scheduled) forMissedTicks.get(0).run().trigger()).tick()
                .isAfter(started.minus(Duration.ofMinutes(1))), "it is for the latest missed tick");
        assertTrue(book.lastTick(branch, "ticker").orElseThrow().isAfter(longAgo));
    }

    @Test
    void aStartAnsweredWhileTheLoopIsMidTurnIsNotStartedTwice() {
        FakeRunner runner = new FakeRunner();
        runner.inspectLags = true; // what the runner says of a just-started run cannot be relied on
        CountDownLatch release = new CountDownLatch(1);
        runner.startGate = release;
        AtomicBoolean armed = new AtomicBoolean();
        // the loop asks for the catalog every turn after taking its inbox and before looking for runs to start: the
        // runner answers exactly there, so its answer waits in the inbox for the next turn
        Supplier<Optional<AgentCatalog>> answerMidTurn = () -> {
            if (armed.compareAndSet(true, false)) {
                release.countDown();
                await().atMost(5, TimeUnit.SECONDS).until(() -> runner.startsReturned.get() == 1);
                sleepQuietly(200); // the answering thread finishes its work
            }
            return Optional.of(catalog);
        };
        Dispatcher dispatcher = start(runner, answerMidTurn);
        String id = dispatcher.request("alpha", manual()).join().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(id).run().state() == RunState.DISPATCHED);
        armed.set(true);

        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(id).runner().isPresent());
        sleepQuietly(500); // more turns

        assertEquals(List.of(id), runner.starts, "started once");
    }

    @Test
    void aLiveRecordThatCannotBeReadIsQuarantinedAndEverythingElseGoesOn() {
        branch.apply(new Change("seed", Actor.service("test"),
                ws -> ws.put(RunBook.livePath("01JUNREADABLE0000000000000A"), "{not json"))).await().indefinitely();
        FakeRunner runner = new FakeRunner();
        Dispatcher dispatcher = start(runner, catalog);

        dispatcher.restored().orTimeout(10, TimeUnit.SECONDS).join();

        assertEquals(1, dispatcher.quarantinedCount());
        assertTrue(branch.list(RunBook.LIVE).await().indefinitely().isEmpty(), "out of live/");
        String quarantined = branch.list(RunBook.QUARANTINE).await().indefinitely().get(0).text();
        assertTrue(quarantined.contains("{not json"), quarantined);
        String id = dispatcher.request("alpha", manual()).join().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.starts.contains(id));
    }

    @Test
    void aLiveRecordAgainstTheQueueRulesIsQuarantinedNotSkippedAtEveryRestart() {
        FakeRunner before = new FakeRunner();
        Dispatcher first = start(before, catalog);
        String a = first.request("alpha", manual()).join().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> stored(a).runner().isPresent());
        first.close();
        // a second active run of the same agent: the queue allows one
        AgentRun twin = AgentRun
                .queued(new SortableIds(Clock.systemUTC(), new java.security.SecureRandom()).next(), "alpha", manual(),
                        Instant.now())
                .moveTo(RunState.DISPATCHED, Instant.now());
        branch.apply(new Change("break the rules", Actor.service("test"),
                ws -> book.stage(ws, RunRecord.of(twin)))).await().indefinitely();

        Dispatcher second = start(new FakeRunner(), catalog);
        second.restored().orTimeout(10, TimeUnit.SECONDS).join();

        assertEquals(1, second.quarantinedCount());
        assertEquals(1, branch.list(RunBook.LIVE).await().indefinitely().size());
        assertEquals(1, branch.list(RunBook.QUARANTINE).await().indefinitely().size());
    }

    @Test
    void requestsAreRefusedAtOnceWhileTheRunsCannotBeReadBack() {
        branch.apply(new Change("seed", Actor.service("test"),
                ws -> ws.put(RunBook.livePath("01JUNREADABLE0000000000000B"), "{not json"))).await().indefinitely();
        // the quarantine commit cannot land: restore keeps failing, and callers must hear so at once
        FakeRunner runner = new FakeRunner();
        GroupCommitStateBranch readOnly = new GroupCommitStateBranch("agent-dispatcher",
                new RefusingWrites(repository.branch("agent-dispatcher")), StateBranchOptions.defaults()
                        .withUnavailableWait(Duration.ofMillis(200), Duration.ofMillis(10), Duration.ofMillis(50)));
        try {
            Dispatcher dispatcher = start(runner, () -> Optional.of(catalog), readOnly);

            CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> dispatcher.request("alpha", manual()).orTimeout(2, TimeUnit.SECONDS).join());

            assertInstanceOf(DispatcherNotReadyException.class, refused.getCause());
        } finally {
            readOnly.close();
        }
    }

    @Test
    void aRecordChangedBehindTheDispatchersBackIsNotOverwrittenAndTheLoopReloads() {
        FakeRunner runner = new FakeRunner();
        runner.unavailable = true; // keep the run queued
        Dispatcher dispatcher = start(runner, catalog);
        String id = dispatcher.request("alpha", manual()).join().id();
        RunRecord stored = stored(id);
        RunRecord changedByHand = stored.withReason("edited by an operator").withRevision(stored.revision() + 5);
        branch.apply(new Change("an edit", Actor.user("operator"), ws -> book.stage(ws, changedByHand)))
                .await().indefinitely();

        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> dispatcher.cancel(id, "ada").join());

        assertInstanceOf(dev.monkeytown.state.ChangeRejectedException.class, refused.getCause());
        assertEquals(Optional.of("edited by an operator"), stored(id).reason(), "not overwritten");
        // the loop read the branch again: the next cancel is made over the edited record
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(RunState.CANCELLED,
                dispatcher.cancel(id, "ada").join().run().state()));
        assertEquals(stored.revision() + 6, stored(id).revision());
    }

    @Test
    void changesAreRecordedWithTheHeadTheyLeadToAndAStaleStartIsRefused() {
        AgentCatalog withWatcher = AgentsFile.parse(WATCHED);
        Dispatcher dispatcher = start(new FakeRunner(), withWatcher);
        dispatcher.restored().join();

        dispatcher.changesSeen(Optional.empty(), "aaa", Map.of()).join();
        List<String> agents = dispatcher.changesSeen(Optional.of("aaa"), "bbb",
                Map.of("watcher", List.of("docs/x.md"))).join();

        assertEquals(List.of("watcher"), agents);
        assertEquals(Optional.of("bbb"), dispatcher.processedHead());
        assertTrue(branch.read(RunBook.PROCESSED_HEAD).await().indefinitely().orElseThrow().text().contains("bbb"));
        assertEquals(1, book.history(branch).stream().filter(r -> r.run().agent().equals("watcher")).count());
        CompletionException stale = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> dispatcher.changesSeen(Optional.of("aaa"), "ccc", Map.of()).join());
        assertInstanceOf(ChangesMovedException.class, stale.getCause());
    }

    private Dispatcher start(FakeRunner runner, AgentCatalog agents) {
        return start(runner, () -> Optional.of(agents), branch, Clock.systemUTC(), Duration.ofHours(1));
    }

    private Dispatcher start(FakeRunner runner, Supplier<Optional<AgentCatalog>> agents) {
        return start(runner, agents, branch, Clock.systemUTC(), Duration.ofHours(1));
    }

    private Dispatcher start(FakeRunner runner, Supplier<Optional<AgentCatalog>> agents, StateBranch onBranch) {
        return start(runner, agents, onBranch, Clock.systemUTC(), Duration.ofHours(1));
    }

    private Dispatcher start(FakeRunner runner, AgentCatalog agents, Clock clock, Duration startTimeout) {
        return start(runner, () -> Optional.of(agents), branch, clock, startTimeout);
    }

    private Dispatcher start(FakeRunner runner, Supplier<Optional<AgentCatalog>> agents, StateBranch onBranch,
            Clock clock, Duration startTimeout) {
        Dispatcher dispatcher = new Dispatcher(
                new Dispatcher.Settings("agent-dispatcher", 100, Duration.ofMillis(50), Duration.ofMillis(200),
                        startTimeout),
                onBranch, book, new RunHistory(1000), agents, new AgentRunner(runner, "main"),
                new RunAnnouncer() {
                    @Override
                    public void announce(String type, RunRecord record) {
                        events.add(type + " " + record.id());
                    }

                    @Override
                    public void dispatchLatency(String agent, Duration took) {
                    }
                }, clock);
        dispatcher.start();
        started.add(dispatcher);
        return dispatcher;
    }

    private RunRecord stored(String id) {
        return book.find(branch, id).orElseThrow();
    }

    private static Trigger manual() {
        return new Trigger.Manual("ada");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
