package dev.monkeytown.dispatcher.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.Enqueued;
import dev.monkeytown.dispatcher.queue.RunQueue;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.registry.AgentCatalog;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.dispatcher.registry.CronSchedule;
import dev.monkeytown.dispatcher.runner.AgentRunner;
import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunHistory;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.StateBranch;

/**
 * Decides which agent runs when, starts runs at the runner, and records every step on the state branch.
 *
 * <p>
 * One thread, the loop, owns the {@link RunQueue} and the live records; everything else (API requests, runner progress,
 * reconciliation answers) reaches it as a {@link Step} in the inbox. Each turn drains the inbox, looks at timeouts,
 * schedules and free slots, and commits all it decided as one {@link Batch}; answers, events and runner calls follow
 * only a durable commit. A failed commit throws the turn away and reloads the live runs from the state branch, which is
 * always the truth: that is also exactly what happens after a restart.
 *
 * <p>
 * Runner calls never run on the loop: they go to a small pool and report back through the inbox, so a slow GitHub never
 * holds up queueing.
 */
public final class Dispatcher implements RunListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final int MAX_STEPS_PER_TURN = 1000;
    private static final int HISTORY_ON_START = 1000;
    private static final int HISTORY_DAYS_ON_START = 31;
    private static final Duration QUARANTINE_WAIT = Duration.ofSeconds(60);
    private static final AgentCatalog NO_AGENTS = new AgentCatalog(Map.of(), List.of());

    /** Work for the loop thread. */
    @FunctionalInterface
    interface Step {
        void apply(Batch batch);
    }

    /**
     * @param startTimeout how long a dispatched run may wait for its runner to start it; the agent's own timeout
     *        counts from the start
     */
    public record Settings(String service, int repositoryCap, Duration tickInterval, Duration reconcileInterval,
            Duration startTimeout) {
        public Settings {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (repositoryCap < 1) {
                throw new IllegalArgumentException("repositoryCap must be at least 1");
            }
        }

        /** With an hour for a runner to start a run. */
        public Settings(String service, int repositoryCap, Duration tickInterval, Duration reconcileInterval) {
            this(service, repositoryCap, tickInterval, reconcileInterval, Duration.ofHours(1));
        }
    }

    private final Settings settings;
    private final StateBranch branch;
    private final RunBook book;
    private final RunHistory history;
    private final Supplier<Optional<AgentCatalog>> catalog;
    private final AgentRunner runner;
    private final RunAnnouncer announcer;
    private final Clock clock;
    private final SortableIds ids;

    private final BlockingQueue<Step> inbox = new LinkedBlockingQueue<>();
    /** Answers of requests waiting in the inbox for the first restore; refused if that restore fails. */
    private final Set<CompletableFuture<?>> waitingForRestore = ConcurrentHashMap.newKeySet();
    private final ExecutorService runnerCalls = Executors.newFixedThreadPool(4, named("dispatcher-runner-call"));
    /** Runs whose start (or start-after-inspect) is with the runner now; owned by the loop like the queue. */
    private final Set<String> startsInFlight = new HashSet<>();
    private final DispatchGate gate = new DispatchGate();
    private final Thread loop;
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile boolean started;
    private volatile String stoppedBecause = "the dispatcher is shutting down";
    private volatile String restoreTrouble;
    private volatile String processedHeadSeen;
    private volatile int quarantined;
    private volatile int queuedCount;
    private volatile int activeCount;

    // owned by the loop thread
    private RunQueue queue = new RunQueue();
    private final Map<String, RunRecord> live = new HashMap<>();
    /** Dispatched runs whose start the runner has not yet accepted; retried (after an inspect) while the gate is open. */
    private final Set<String> awaitingStart = new LinkedHashSet<>();
    /** Awaiting runs the runner cannot yet tell about (a start whose answer was lost): not started again before. */
    private final Map<String, Instant> startNotBefore = new HashMap<>();
    private final Map<String, Instant> lastTicks = new HashMap<>();
    private Instant nextReconcile = Instant.MIN;
    private boolean probingStore;
    private long lastScheduleMinute = Long.MIN_VALUE;
    private String processedHead;

    public Dispatcher(Settings settings, StateBranch branch, RunBook book, RunHistory history,
            Supplier<Optional<AgentCatalog>> catalog, AgentRunner runner, RunAnnouncer announcer, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.branch = Objects.requireNonNull(branch, "branch");
        this.book = Objects.requireNonNull(book, "book");
        this.history = Objects.requireNonNull(history, "history");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.announcer = Objects.requireNonNull(announcer, "announcer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = new SortableIds(clock, new java.security.SecureRandom());
        this.loop = named("dispatcher-loop").newThread(this::run);
        runner.listen(this);
    }

    public void start() {
        started = true;
        loop.start();
    }

    // ---- requests from other threads -------------------------------------------------------------------------------

    /**
     * Queues a run of {@code agent}; completes once the run is durably recorded, with the run (for an automatic trigger
     * that coalesced, the pending run it joined).
     */
    public CompletableFuture<RunRecord> request(String agent, Trigger trigger) {
        CompletableFuture<RunRecord> answer = new CompletableFuture<>();
        if (refuseUnlessReady(answer)) {
            return answer;
        }
        submit(batch -> {
            if (answer.isDone()) {
                return; // refused while waiting for the runs to be read back: it must not happen behind the caller's back
            }
            Optional<AgentCatalog> agents = catalog.get();
            if (agents.isEmpty()) {
                answer.completeExceptionally(new DeclarationsNotLoadedException());
                return;
            }
            if (agents.get().agent(agent).isEmpty()) {
                answer.completeExceptionally(new UnknownAgentException(agent));
                return;
            }
            RunRecord record = enqueue(batch, agent, trigger);
            batch.afterCommit(() -> answer.complete(record));
            batch.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    /** Cancels a queued or active run; completes with the cancelled run once that is durable. */
    public CompletableFuture<RunRecord> cancel(String runId, String requester) {
        CompletableFuture<RunRecord> answer = new CompletableFuture<>();
        if (refuseUnlessReady(answer)) {
            return answer;
        }
        submit(batch -> {
            if (answer.isDone()) {
                return;
            }
            RunRecord current = live.get(runId);
            if (current == null) {
                answer.completeExceptionally(history.find(runId).or(() -> book.find(branch, runId))
                        .<RuntimeException>map(RunAlreadyFinishedException::new)
                        .orElseGet(() -> new UnknownRunException(runId)));
                return;
            }
            RunRecord cancelled = finish(batch, runId, RunState.CANCELLED, "cancelled by " + requester, batch.now,
                    true);
            batch.afterCommit(() -> answer.complete(cancelled));
            batch.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    /**
     * Turns the default branch's move from {@code from} (empty: never processed) to {@code to} into on-change runs for
     * {@code pathsByAgent}, and records {@code to} as processed, in one commit: a push is acknowledged only once its
     * runs are recorded, and a missed one is found by comparing the recorded head with the real one. Fails with
     * {@link ChangesMovedException} if the recorded head is no longer {@code from}.
     *
     * @return the agents a run was requested for
     */
    public CompletableFuture<List<String>> changesSeen(Optional<String> from, String to,
            Map<String, List<String>> pathsByAgent) {
        CompletableFuture<List<String>> answer = new CompletableFuture<>();
        if (refuseUnlessReady(answer)) {
            return answer;
        }
        submit(batch -> {
            if (answer.isDone()) {
                return;
            }
            if (!Objects.equals(from.orElse(null), processedHead)) {
                answer.completeExceptionally(new ChangesMovedException("the default branch was processed up to "
                        + processedHead + " meanwhile, not " + from.orElse("nothing")));
                return;
            }
            AgentCatalog agents = catalog.get().orElse(NO_AGENTS);
            List<String> requested = new ArrayList<>();
            pathsByAgent.forEach((agent, paths) -> {
                if (agents.agent(agent).isPresent()) {
                    enqueue(batch, agent, new Trigger.OnChange(to, paths));
                    requested.add(agent);
                }
            });
            batch.stageProcessedHead(to);
            batch.afterCommit(() -> {
                processedHead = to;
                processedHeadSeen = to;
                answer.complete(List.copyOf(requested));
            });
            batch.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    /** The last default-branch head whose changes were recorded as runs, once restored. */
    public Optional<String> processedHead() {
        return Optional.ofNullable(processedHeadSeen);
    }

    /** The agents' declarations changed: look at schedules again on the next turn. */
    public void catalogChanged() {
        submit(batch -> lastScheduleMinute = Long.MIN_VALUE, null);
    }

    @Override
    public void started(String runId, RunnerRef ref, Instant at) {
        submit(batch -> applyTruth(batch, runId, new RunnerTruth.Running(ref, at)), null);
    }

    @Override
    public void finished(String runId, RunnerRef ref, RunOutcome outcome) {
        submit(batch -> applyTruth(batch, runId, new RunnerTruth.Finished(ref, outcome)), null);
    }

    // ---- what others may read --------------------------------------------------------------------------------------

    /** Completes once the live runs have been read back from the state branch after start. */
    public CompletableFuture<Void> restored() {
        return restored.copy();
    }

    public int queuedCount() {
        return queuedCount;
    }

    public int activeCount() {
        return activeCount;
    }

    /** Why dispatching is paused, if it is: the runner or the state store could not be reached. */
    public Optional<String> pausedBecause() {
        return gate.pausedBecause();
    }

    /**
     * Another dispatcher took over the state branch (a rolling update, a second replica): stop deciding anything, and
     * stop the runs this one started locally, which the new dispatcher can neither see nor finish. Called on the state
     * store's committer thread, so the stopping happens elsewhere.
     */
    public void stepDown() {
        if (closed) {
            return;
        }
        LOG.warnf("Another dispatcher took over %s: this one stops dispatching", branch.branch());
        stoppedBecause = "another dispatcher took over " + branch.branch() + "; this one no longer takes requests";
        closed = true;
        loop.interrupt();
        // starts already handed to the runner pool must not reach the runner any more: the new writer owns those runs
        runnerCalls.shutdownNow();
        Thread stopping = new Thread(() -> {
            try {
                runner.close(); // local runs stop; GitHub's go on for the dispatcher that took over
            } catch (RuntimeException e) {
                LOG.warnf("Could not stop the runs of the runner: %s", e.toString());
            }
        }, "dispatcher-step-down");
        stopping.setDaemon(true);
        stopping.start();
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runnerCalls.shutdownNow();
    }

    // ---- the loop --------------------------------------------------------------------------------------------------

    private void submit(Step step, CompletableFuture<?> answer) {
        if (closed) {
            if (answer != null) {
                answer.completeExceptionally(new DispatcherNotReadyException(stoppedBecause));
            }
            return;
        }
        if (answer != null && !restored.isDone()) {
            waitingForRestore.add(answer);
            answer.whenComplete((result, failure) -> waitingForRestore.remove(answer));
        }
        inbox.add(step);
    }

    /**
     * Refuses at once, before anything is queued, after stopping or while reading the runs back keeps failing: such a
     * caller would otherwise wait without a deadline, then retry into a duplicate. A request during a first, healthy
     * restore (milliseconds) waits for it in the inbox. True if refused.
     */
    private boolean refuseUnlessReady(CompletableFuture<?> answer) {
        if (closed) {
            answer.completeExceptionally(new DispatcherNotReadyException(stoppedBecause));
            return true;
        }
        if (!started) {
            answer.completeExceptionally(new DispatcherNotReadyException("the dispatcher is starting: it does not "
                    + "hold " + branch.branch() + " yet"));
            return true;
        }
        if (!restored.isDone() && restoreTrouble != null) {
            answer.completeExceptionally(new DispatcherNotReadyException("the dispatcher is still reading its runs"
                    + " back from " + branch.branch() + (restoreTrouble == null ? "" : " (" + restoreTrouble + ")")));
            return true;
        }
        return false;
    }

    private void run() {
        // on the loop, not the caller's thread (stopping a leftover waits out its grace), and before the runs are
        // read back: what an earlier owner left running is stopped, then found ended
        try {
            runner.runner().takeOver();
        } catch (RuntimeException e) {
            // the loop must start whatever happened: a leftover not stopped is logged, never a dead loop
            LOG.errorf(e, "Could not stop what an earlier runner left running");
        }
        while (!closed && !restored.isDone()) {
            try {
                restore();
                restored.complete(null);
            } catch (RuntimeException e) {
                restoreTrouble = e.getMessage();
                LOG.warnf("Cannot read the live runs from %s yet, retrying: %s", branch.branch(), e.toString());
                // nothing waiting may wait without a deadline: refuse it; its step finds the answer done later
                List.copyOf(waitingForRestore).forEach(answer -> answer.completeExceptionally(
                        new DispatcherNotReadyException("the dispatcher could not read its runs back from "
                                + branch.branch() + " (" + restoreTrouble + ")")));
                sleep(settings.tickInterval());
            }
        }
        while (!closed) {
            try {
                turn();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // a bug in one turn must not stop dispatching for good; the branch is reread so memory matches it
                LOG.errorf(e, "Dispatch turn failed; reloading live runs from %s", branch.branch());
                reloadQuietly();
            }
        }
    }

    private void turn() throws InterruptedException {
        Step step = inbox.poll(settings.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
        Batch batch = new Batch(clock.instant());
        for (int n = 0; step != null && n < MAX_STEPS_PER_TURN; n++) {
            step.apply(batch);
            step = n + 1 < MAX_STEPS_PER_TURN ? inbox.poll() : null;
        }
        probeStore(batch);
        timeOut(batch);
        schedule(batch);
        reconcile(batch);
        dispatch(batch);
        commit(batch);
        queuedCount = queue.queuedCount();
        activeCount = queue.activeCount();
    }

    private void commit(Batch batch) {
        if (batch.hasWrites()) {
            try {
                branch.apply(batch.toChange(book, settings.service())).await().indefinitely();
            } catch (RuntimeException e) {
                LOG.warnf("Could not record %d run changes on %s: %s", batch.records().size(), branch.branch(),
                        e.toString());
                batch.failureActions().forEach(action -> action.accept(e));
                gate.trip(DispatchGate.Cause.STATE_STORE,
                        "the state store did not take the last change: " + e.getMessage(), clock.instant());
                reloadQuietly();
                return;
            }
        }
        if (batch.hasWrites()) {
            gate.succeeded(DispatchGate.Cause.STATE_STORE);
        }
        batch.records().forEach(history::put);
        // events first: a client that got its answer finds the event already in the stream
        for (Batch.Announcement announcement : batch.announcements()) {
            try {
                announcer.announce(announcement.type(), announcement.record());
            } catch (RuntimeException e) {
                // what is committed stays committed; a failing listener must not undo or stall the loop
                LOG.errorf(e, "Could not announce %s of run %s", announcement.type(), announcement.record().id());
            }
        }
        batch.afterCommitActions().forEach(Runnable::run);
    }

    /** Rebuilds the loop's memory from the state branch's view; the view only ever holds committed state. */
    private void restore() {
        RunQueue fresh = new RunQueue();
        Map<String, RunRecord> records = new HashMap<>();
        RunBook.Restored stored = book.restore(branch, clock.instant(), HISTORY_ON_START, HISTORY_DAYS_ON_START);
        List<RunBook.Unreadable> quarantine = new ArrayList<>(stored.unreadable());
        List<RunRecord> liveRuns = new ArrayList<>(stored.live());
        liveRuns.sort(Comparator.comparing(RunRecord::id));
        for (RunRecord record : liveRuns) {
            try {
                fresh.restore(record.run());
                records.put(record.id(), record);
            } catch (IllegalArgumentException | IllegalStateException e) {
                quarantine.add(new RunBook.Unreadable(RunBook.livePath(record.id()), book.bytesOf(record),
                        e.getMessage()));
            }
        }
        if (!quarantine.isEmpty()) {
            quarantineAll(quarantine);
        }
        if (!restored.isDone()) {
            // the newest runs for listing; older ones are still found by id on the branch
            stored.recent().forEach(history::put);
        }
        queue = fresh;
        live.clear();
        live.putAll(records);
        awaitingStart.clear();
        startNotBefore.clear();
        records.values().stream()
                .filter(r -> r.run().state() == RunState.DISPATCHED && r.runner().isEmpty())
                .forEach(r -> awaitingStart.add(r.id()));
        records.values().forEach(history::put);
        lastTicks.clear();
        lastTicks.putAll(stored.lastTicks());
        processedHead = stored.processedHead().orElse(null);
        processedHeadSeen = processedHead;
        lastScheduleMinute = Long.MIN_VALUE;
        nextReconcile = Instant.MIN; // ask the runner about every active run straight away
        queuedCount = queue.queuedCount();
        activeCount = queue.activeCount();
        LOG.infof("Restored %d queued and %d active runs from %s", queue.queuedCount(), queue.activeCount(),
                branch.branch());
    }

    /**
     * Moves live records the queue cannot take back into {@code quarantine/}, in one commit, so they are reported once
     * and never stop a restart again. Fails the restore (retried) if the commit fails: a record is never left behind
     * silently.
     */
    private void quarantineAll(List<RunBook.Unreadable> records) {
        Instant at = clock.instant();
        branch.apply(new Change("quarantine " + records.size() + " live run record(s)",
                Actor.service(settings.service()), workspace -> records.forEach(record -> {
                    // only what is still there as it was read: another writer may have fixed it meanwhile
                    if (workspace.read(record.path()).filter(d -> Arrays.equals(d.content(),
                            record.content())).isPresent()) {
                        book.stageQuarantine(workspace, record.path(), record.content(), record.reason(), at);
                    }
                }))).await().atMost(QUARANTINE_WAIT);
        records.forEach(record -> LOG.errorf("Quarantined live run record %s (%s): moved to %s for an operator",
                record.path(), record.reason(), RunBook.QUARANTINE));
        quarantined += records.size();
    }

    /** Live records moved to quarantine since start. */
    public int quarantinedCount() {
        return quarantined;
    }

    private void reloadQuietly() {
        try {
            restore();
        } catch (RuntimeException e) {
            LOG.warnf("Could not reload live runs from %s: %s", branch.branch(), e.toString());
        }
    }

    // ---- decisions, all on the loop thread -------------------------------------------------------------------------

    private RunRecord enqueue(Batch batch, String agent, Trigger trigger) {
        AgentRun offered = AgentRun.queued(ids.next(), agent, trigger, batch.now);
        Enqueued enqueued = queue.enqueue(offered);
        if (enqueued.coalesced()) {
            return keep(batch, live.get(enqueued.run().id()).with(enqueued.run()), null);
        }
        return keep(batch, RunRecord.of(offered), "run.queued");
    }

    /** An agent's timeout counts from the runner's confirmed start; waiting for a runner has a bound of its own. */
    private void timeOut(Batch batch) {
        AgentCatalog agents = catalog.get().orElse(NO_AGENTS);
        for (AgentRun run : queue.expired(batch.now, agent -> agents.agent(agent).map(AgentDeclaration::timeout)
                .orElse(AgentDeclaration.DEFAULT_TIMEOUT))) {
            Duration timeout = agents.agent(run.agent()).map(AgentDeclaration::timeout)
                    .orElse(AgentDeclaration.DEFAULT_TIMEOUT);
            finish(batch, run.id(), RunState.TIMED_OUT, "timed out after " + timeout, batch.now, true);
        }
        for (AgentRun run : queue.notStarted(batch.now, settings.startTimeout())) {
            finish(batch, run.id(), RunState.FAILED, "the " + runner.kind() + " runner did not start it within "
                    + settings.startTimeout() + " of its dispatch", batch.now, true);
        }
    }

    /**
     * Queues scheduled runs. Once per minute (cron's resolution), or at once after the declarations changed. An agent
     * seen for the first time starts counting from now; after downtime, every missed tick since the recorded one
     * collapses into a single run.
     */
    private void schedule(Batch batch) {
        long minute = batch.now.getEpochSecond() / 60;
        if (minute == lastScheduleMinute) {
            return;
        }
        if (catalog.get().isEmpty()) {
            return;
        }
        lastScheduleMinute = minute;
        for (AgentDeclaration agent : catalog.get().get().agents().values()) {
            if (agent.schedule().isEmpty()) {
                continue;
            }
            CronSchedule cron = agent.schedule().get();
            // every recorded tick was read at restore: an agent without one is seen for the first time
            Instant last = lastTicks.get(agent.name());
            if (last == null) {
                lastTicks.put(agent.name(), batch.now);
                batch.stageTick(agent.name(), batch.now);
            } else if (cron.dueSince(last, batch.now)) {
                Instant tick = latestTick(cron, last, batch.now);
                enqueue(batch, agent.name(), new Trigger.Scheduled(tick));
                lastTicks.put(agent.name(), tick);
                batch.stageTick(agent.name(), tick);
            }
        }
    }

    private static Instant latestTick(CronSchedule cron, Instant last, Instant now) {
        Instant tick = cron.next(last);
        for (Instant following = cron.next(tick); !following.isAfter(now); following = cron.next(following)) {
            tick = following;
        }
        return tick;
    }

    /**
     * After a failed commit, a turn with nothing to write would never find out that the store is back; a refresh (a
     * free 304 on GitHub) does, so readiness stops saying "degraded" without waiting for the next run.
     */
    private void probeStore(Batch batch) {
        if (probingStore || !gate.trippedBy(DispatchGate.Cause.STATE_STORE) || !gate.isOpen(batch.now)) {
            return;
        }
        probingStore = true;
        branch.refresh().subscribe().with(
                ok -> submit(b -> {
                    probingStore = false;
                    gate.succeeded(DispatchGate.Cause.STATE_STORE);
                }, null),
                failure -> submit(b -> {
                    probingStore = false;
                    gate.trip(DispatchGate.Cause.STATE_STORE, "the state store is unreachable: "
                            + failure.getMessage(), b.now);
                }, null));
    }

    /** Asks the runner about every active run it accepted, because reports of their progress may have been lost. */
    private void reconcile(Batch batch) {
        if (batch.now.isBefore(nextReconcile) || !gate.isOpen(batch.now)) {
            return;
        }
        nextReconcile = batch.now.plus(settings.reconcileInterval());
        for (AgentRun run : queue.active()) {
            RunRecord record = live.get(run.id());
            if (record == null || record.runner().isEmpty() || startsInFlight.contains(run.id())) {
                continue; // not accepted yet: the start retry inspects it first
            }
            runnerCalls.execute(() -> {
                try {
                    RunnerTruth truth = runner.inspect(record.run(), record.runner());
                    submit(b -> {
                        gate.succeeded(DispatchGate.Cause.RUNNER);
                        applyTruth(b, run.id(), truth);
                    }, null);
                } catch (RunnerUnavailableException e) {
                    submit(b -> gate.trip(DispatchGate.Cause.RUNNER, e.getMessage(), b.now), null);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Reconciling run %s failed", run.id());
                }
            });
        }
    }

    private void dispatch(Batch batch) {
        // without the declarations nothing can be started, and nothing may be judged "no longer declared"
        if (!gate.isOpen(batch.now) || catalog.get().isEmpty()) {
            return;
        }
        AgentCatalog agents = catalog.get().get();
        for (String runId : List.copyOf(awaitingStart)) {
            RunRecord record = live.get(runId);
            Optional<AgentDeclaration> agent = agents.agent(record.run().agent());
            if (agent.isEmpty()) {
                finish(batch, runId, RunState.FAILED, "agent " + record.run().agent() + " is no longer declared",
                        batch.now, false);
            } else if (!startsInFlight.contains(runId)
                    && !batch.now.isBefore(startNotBefore.getOrDefault(runId, Instant.MIN))) {
                // it may have reached the runner before a crash or a lost answer: ask before starting again
                batch.afterCommit(() -> launch(record, agent.get(), true));
            }
        }
        for (AgentRun next : queue.next(settings.repositoryCap())) {
            Optional<AgentDeclaration> agent = agents.agent(next.agent());
            if (agent.isEmpty()) {
                finish(batch, next.id(), RunState.CANCELLED, "agent " + next.agent() + " is no longer declared",
                        batch.now, false);
                continue;
            }
            RunRecord dispatched = keep(batch, live.get(next.id()).with(queue.markDispatched(next.id(), batch.now)),
                    "run.dispatched");
            awaitingStart.add(dispatched.id());
            batch.afterCommit(() -> launch(dispatched, agent.get(), false));
        }
    }

    /**
     * Starts a run at the runner, off the loop; the answer comes back as a step. {@code startsInFlight} belongs to the
     * loop: the run leaves it in the same step that records the runner's answer, so no turn in between can take the
     * run for "not started" and start it a second time.
     */
    private void launch(RunRecord record, AgentDeclaration agent, boolean inspectFirst) {
        String runId = record.id();
        if (!startsInFlight.add(runId)) {
            return;
        }
        runnerCalls.execute(() -> {
            try {
                if (inspectFirst) {
                    RunnerTruth truth = runner.inspect(record.run(), record.runner());
                    if (!(truth instanceof RunnerTruth.Unknown)) {
                        settled(runId, batch -> {
                            gate.succeeded(DispatchGate.Cause.RUNNER);
                            applyTruth(batch, runId, truth);
                        });
                        return;
                    }
                }
                long began = System.nanoTime();
                RunnerRef ref = runner.start(record.run(), agent);
                Duration took = Duration.ofNanos(System.nanoTime() - began);
                settled(runId, batch -> accepted(batch, runId, ref, took));
            } catch (RunnerUnavailableException e) {
                LOG.warnf("Runner %s unavailable, dispatching paused: %s", runner.kind(), e.getMessage());
                settled(runId, batch -> gate.trip(DispatchGate.Cause.RUNNER, e.getMessage(), batch.now));
            } catch (RunRejectedException e) {
                settled(runId, batch -> rejected(batch, runId, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Runner %s failed to start run %s", runner.kind(), runId);
                settled(runId, batch -> gate.trip(DispatchGate.Cause.RUNNER, e.toString(), batch.now));
            }
        });
    }

    /** The runner answered about a start: on the loop, the run leaves {@code startsInFlight} and the answer applies. */
    private void settled(String runId, Step step) {
        submit(batch -> {
            startsInFlight.remove(runId);
            step.apply(batch);
        }, null);
    }

    private void accepted(Batch batch, String runId, RunnerRef ref, Duration took) {
        gate.succeeded(DispatchGate.Cause.RUNNER);
        RunRecord record = live.get(runId);
        if (record == null) {
            // cancelled or timed out while the start was on its way: stop what the runner just began
            // (a run that finished on its own before this answer arrived needs nothing)
            history.find(runId)
                    .filter(done -> done.runner().isEmpty() && (done.run().state() == RunState.CANCELLED
                            || done.run().state() == RunState.TIMED_OUT))
                    .ifPresent(done -> batch.afterCommit(() -> cancelAtRunner(done.run(), Optional.of(ref))));
            return;
        }
        awaitingStart.remove(runId);
        startNotBefore.remove(runId);
        announcer.dispatchLatency(record.run().agent(), took);
        keep(batch, record.withRunner(ref), null);
    }

    private void rejected(Batch batch, String runId, String reason) {
        gate.succeeded(DispatchGate.Cause.RUNNER);
        if (live.containsKey(runId)) {
            finish(batch, runId, RunState.FAILED, reason, batch.now, false);
        }
    }

    /** Moves a live run to where its runner says it is; reports that do not move it forward are ignored. */
    private void applyTruth(Batch batch, String runId, RunnerTruth truth) {
        RunRecord record = live.get(runId);
        if (record == null) {
            return; // finished already (a redelivered webhook, a late answer) or not ours
        }
        if (truth instanceof RunnerTruth.Unknown) {
            if (record.runner().isPresent()) {
                finish(batch, runId, RunState.FAILED, "the " + runner.kind()
                        + " runner has no trace of this run any more (a local run does not survive a restart of the"
                        + " dispatcher)", batch.now, false);
            } else {
                awaitingStart.add(runId);
            }
        } else if (truth instanceof RunnerTruth.Unconfirmed unconfirmed) {
            awaitingStart.add(runId); // ask again, and start it again only if it still has no trace then
            startNotBefore.put(runId, unconfirmed.askAgainAt());
        } else if (truth instanceof RunnerTruth.Pending pending) {
            adoptRef(batch, record, pending.ref());
        } else if (truth instanceof RunnerTruth.Running running) {
            RunRecord current = adoptRef(batch, record, running.ref());
            if (current.run().state() == RunState.DISPATCHED) {
                keep(batch, current.with(queue.markRunning(runId, running.startedAt())), "run.started");
            }
        } else if (truth instanceof RunnerTruth.Finished finished) {
            adoptRef(batch, record, finished.ref());
            RunOutcome outcome = finished.outcome();
            finish(batch, runId, AgentRunner.stateOf(outcome), reasonOf(outcome), outcome.finishedAt(), false);
        }
    }

    private RunRecord adoptRef(Batch batch, RunRecord record, RunnerRef ref) {
        awaitingStart.remove(record.id());
        startNotBefore.remove(record.id());
        if (record.runner().equals(Optional.of(ref))) {
            return record;
        }
        return keep(batch, record.withRunner(ref), null);
    }

    /** Stages a live run's new record and keeps it, with the revision it will have on the branch, as the loop's own. */
    private RunRecord keep(Batch batch, RunRecord next, String event) {
        RunRecord stamped = batch.stage(next, event);
        live.put(stamped.id(), stamped);
        return stamped;
    }

    private RunRecord finish(Batch batch, String runId, RunState outcome, String reason, Instant at,
            boolean stopAtRunner) {
        RunRecord record = live.remove(runId);
        boolean wasActive = record.run().state().isActive();
        RunRecord done = batch.stage(record.with(queue.finish(runId, outcome, at)).withReason(reason),
                "run." + outcome.jsonName());
        awaitingStart.remove(runId);
        startNotBefore.remove(runId);
        if (stopAtRunner && wasActive) {
            batch.afterCommit(() -> cancelAtRunner(done.run(), done.runner()));
        }
        return done;
    }

    private void cancelAtRunner(AgentRun run, Optional<RunnerRef> ref) {
        runnerCalls.execute(() -> {
            try {
                runner.cancel(run, ref);
            } catch (RunnerUnavailableException | RuntimeException e) {
                // the run is already recorded as over; reconciliation cannot revive it, so this is only worth a warning
                LOG.warnf("Could not stop run %s at the %s runner: %s", run.id(), runner.kind(), e.getMessage());
            }
        });
    }

    private static String reasonOf(RunOutcome outcome) {
        if (outcome instanceof RunOutcome.Failed failed) {
            return failed.reason();
        }
        if (outcome instanceof RunOutcome.TimedOut) {
            return "the runner stopped it for running too long";
        }
        if (outcome instanceof RunOutcome.Cancelled) {
            return "cancelled at the runner";
        }
        return null;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
