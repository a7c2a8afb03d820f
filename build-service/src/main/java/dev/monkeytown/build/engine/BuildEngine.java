package dev.monkeytown.build.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.monkeytown.build.builds.Attempt;
import dev.monkeytown.build.builds.AttemptResult;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.build.builds.Streak;
import dev.monkeytown.build.builds.StreakKey;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.build.pipeline.PipelineCatalog;
import dev.monkeytown.build.queue.BuildQueue;
import dev.monkeytown.build.queue.WaitReason;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.StateBranch;

/**
 * Owns the builds: one loop thread holds the live builds and the streaks; API requests, runner reports and
 * reconciliation answers reach it as steps. Each turn drains the steps, plans dispatches with {@link BuildQueue},
 * and commits everything it decided as one {@link Turn}; answers, events and runner calls follow only a durable commit.
 * A failed commit drops the turn and reloads from the state branch — exactly what a restart does.
 *
 * <p>
 * Restart safety: an attempt is recorded {@code dispatched} before the runner hears of it, and its runner id
 * ({@code <build>-<n>}) is the runner's idempotency key. On start every dispatched or running attempt is settled with
 * {@link Runner#inspect}: never seen by the runner → started now (it never ran); seen by a runner that is gone → an
 * {@code infra} failure, retried as a new attempt if the pipeline allows. Nothing is lost and nothing runs twice.
 */
public final class BuildEngine implements RunListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BuildEngine.class);
    private static final int MAX_STEPS_PER_TURN = 500;
    /** Busy marks (with the run id before them) of an attempt whose run finished: outputs copied, failure classified. */
    private static final String OUTPUTS = "/outputs";
    private static final String CLASSIFYING = "/classifying";
    /** Reads of a failure's evidence before the report is classified as it stands. */
    private static final int EVIDENCE_TRIES = 3;

    /** One output copy: its task, and when it began running (null while it waits for a copy thread). */
    private static final class OutputCopy {
        volatile Future<?> task;
        volatile Instant startedAt;
    }

    @FunctionalInterface
    interface Step {
        void apply(Turn turn);
    }

    /**
     * @param parallelism most builds dispatched or running at once, across pipelines
     * @param dailyAutomaticMax automatic builds a UTC day (the spec's 15); manual ones are not limited
     * @param startTimeout how long a dispatched attempt may wait for its runner to start it before it counts as lost
     * @param runningGrace how far past its timeout a running attempt may go before this service stops it itself
     *        (the runner's own timeout comes first; this catches a runner that lost the run)
     * @param copyTimeout how long a successful attempt's output copy may take as a whole (listing, downloads, registry
     *        push), from when it starts running; past it the copy is cancelled and the attempt fails as {@code infra}
     * @param evidenceRetry the first wait before a failed read of a failure's evidence ({@link FailureEvidence}) is
     *        tried again, doubled after each; after the last try the report is classified as it stands
     */
    public record Settings(String service, int parallelism, int dailyAutomaticMax, Duration tick,
            Duration reconcileInterval, Duration startTimeout, Duration runningGrace, Duration copyTimeout,
            Duration evidenceRetry) {
        /** The default of {@code monkeytown.build.github.copy-timeout}. */
        public static final Duration DEFAULT_COPY_TIMEOUT = Duration.ofMinutes(30);
        /** The first wait before a failed read of a failure's evidence is tried again (then doubled): 20 s, 40 s. */
        public static final Duration DEFAULT_EVIDENCE_RETRY = Duration.ofSeconds(20);

        public Settings {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(copyTimeout, "copyTimeout");
            Objects.requireNonNull(evidenceRetry, "evidenceRetry");
            if (parallelism < 1 || dailyAutomaticMax < 0) {
                throw new IllegalArgumentException("parallelism must be at least 1 and the daily maximum not negative");
            }
        }

        public Settings(String service, int parallelism, int dailyAutomaticMax, Duration tick,
                Duration reconcileInterval, Duration startTimeout, Duration runningGrace) {
            this(service, parallelism, dailyAutomaticMax, tick, reconcileInterval, startTimeout, runningGrace,
                    DEFAULT_COPY_TIMEOUT, DEFAULT_EVIDENCE_RETRY);
        }
    }

    private final Settings settings;
    private final StateBranch branch;
    private final BuildBook book;
    private final Supplier<PipelineCatalog> catalog;
    private final Runner runner;
    private final RunTarget target;
    private final OutputPublisher outputs;
    private final FailureEvidence evidence;
    private final BuildAnnouncer announcer;
    private final Clock clock;
    private final SortableIds ids;
    private final BlockingQueue<Step> inbox = new LinkedBlockingQueue<>();
    private final ExecutorService calls;
    /**
     * Output copies (GitHub mode: Actions artifact downloads, bounded by their own deadline) run here, never on
     * {@link #calls}: copies that stall must not leave no thread to start, inspect or stop attempts.
     */
    private final ExecutorService copies;
    /** Waits out the backoff between reads of a failure's evidence; the reads themselves run on {@link #calls}. */
    private final ScheduledExecutorService later;
    private final Thread loop;
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile EngineView view = EngineView.EMPTY;

    // owned by the loop thread
    private final Map<String, Build> live = new HashMap<>();
    private final Map<StreakKey, Streak> streaks = new HashMap<>();
    /** Watched branch → the head last acted on, as recorded (or staged) on the branch. */
    private final Map<String, String> heads = new HashMap<>();
    /** Runner ids with a call in flight (start, inspect, output publishing): not asked about again meanwhile. */
    private final Set<String> busyRuns = new HashSet<>();
    /** Output copies submitted and not yet settled, by runner id: stopped at their deadline or when cancelled. */
    private final Map<String, OutputCopy> outputCopies = new HashMap<>();
    private LocalDate day;
    private BuildBook.Daily today = new BuildBook.Daily(0, 0);
    private Instant nextReconcile = Instant.MIN;

    public BuildEngine(Settings settings, StateBranch branch, BuildBook book, Supplier<PipelineCatalog> catalog,
            Runner runner, RunTarget target, OutputPublisher outputs, BuildAnnouncer announcer, Clock clock) {
        this(settings, branch, book, catalog, runner, target, outputs, FailureEvidence.NONE, announcer, clock);
    }

    /** @param evidence asked once about a failure report that cannot be classified by itself (GitHub: the jobs) */
    public BuildEngine(Settings settings, StateBranch branch, BuildBook book, Supplier<PipelineCatalog> catalog,
            Runner runner, RunTarget target, OutputPublisher outputs, FailureEvidence evidence,
            BuildAnnouncer announcer, Clock clock) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.branch = Objects.requireNonNull(branch, "branch");
        this.book = Objects.requireNonNull(book, "book");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.target = Objects.requireNonNull(target, "target");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
        this.announcer = Objects.requireNonNull(announcer, "announcer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = new SortableIds(clock);
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newFixedThreadPool(4, r -> daemon(r, "build-runner-call-" + n.incrementAndGet()));
        AtomicInteger c = new AtomicInteger();
        this.copies = Executors.newFixedThreadPool(OutputPublisher.CONCURRENT_COPIES,
                r -> daemon(r, "build-output-copy-" + c.incrementAndGet()));
        this.later = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "build-evidence-retry"));
        this.loop = daemon(this::run, "build-loop");
        runner.listen(this);
    }

    public void start() {
        loop.start();
    }

    /** Completes once the live builds have been read from the branch. */
    public CompletableFuture<Void> restored() {
        return restored;
    }

    /** What the API shows, as of the last committed turn. */
    public EngineView view() {
        return view;
    }

    // ---- requests --------------------------------------------------------------------------------------------------

    /** Queues a build an operator asked for (or a retry of an ended one); completes once recorded. */
    public CompletableFuture<Build> request(String pipeline, String ref, String sha, String tree, BuildTrigger trigger,
            String requestedBy, String retryOf) {
        CompletableFuture<Build> answer = new CompletableFuture<>();
        submit(turn -> {
            if (catalog.get().pipeline(pipeline).isEmpty()) {
                answer.completeExceptionally(new BuildRefusedException.UnknownPipeline(pipeline));
                return;
            }
            Build build = put(turn, Build.queued(ids.next(), pipeline, ref, sha, tree, trigger, requestedBy,
                    turn.now, retryOf), "build.queued");
            turn.afterCommit(() -> answer.complete(build));
            turn.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    /**
     * A push moved {@code branch} to {@code sha}: queues an automatic build for each pipeline building that branch. One
     * still waiting for the same pipeline and branch takes the newer commit instead of queueing another (a burst of
     * pushes is one build of the last).
     */
    public CompletableFuture<List<Build>> pushed(String branchName, String sha, String tree) {
        CompletableFuture<List<Build>> answer = new CompletableFuture<>();
        submit(turn -> {
            List<Build> queued = queuePush(turn, branchName, sha, tree);
            turn.afterCommit(() -> answer.complete(queued));
            turn.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    /**
     * A watched branch was read at {@code sha} ({@code ""}: the branch does not exist). Decided against the head
     * recorded on the state branch, so a push made while this service was down is built when it comes back: a branch
     * never seen before is only recorded (its current commit, or its absence, is where watching starts, unbuilt); the
     * recorded head is nothing new; any other commit is a push ({@link #pushed}), so a branch created after watching
     * started is built at its first commit. A branch that disappears keeps its recorded head. Re-reading the same head
     * before the commit lands is answered with that commit.
     */
    public CompletableFuture<List<Build>> headSeen(String branchName, String sha, String tree) {
        return decideHead(branchName, sha, tree, Optional.empty()).thenApply(Optional::orElseThrow);
    }

    /**
     * As {@link #headSeen}, only if the head recorded for the branch is still {@code basedOn} ({@code ""}: none), the
     * one the caller found {@code sha} later than: a decision taken against a head that moved meanwhile (a webhook and
     * a poll crossing) is not applied, so an older commit never replaces a later one. Empty when not applied.
     */
    public CompletableFuture<Optional<List<Build>>> headSeenIfRecorded(String branchName, String sha, String tree,
            String basedOn) {
        return decideHead(branchName, sha, tree, Optional.of(basedOn));
    }

    private CompletableFuture<Optional<List<Build>>> decideHead(String branchName, String sha, String tree,
            Optional<String> basedOn) {
        CompletableFuture<Optional<List<Build>>> answer = new CompletableFuture<>();
        submit(turn -> {
            String recorded = heads.get(branchName);
            if (basedOn.isPresent() && !basedOn.get().equals(recorded == null ? "" : recorded)) {
                answer.complete(Optional.empty());
                return;
            }
            List<Build> queued;
            if (sha.equals(recorded)) {
                queued = List.of(); // answered with this turn's commit: the head may be staged, not yet recorded
            } else if (recorded == null || sha.isEmpty()) {
                queued = recordHead(turn, branchName, sha);
            } else {
                queued = queuePush(turn, branchName, sha, tree);
            }
            turn.afterCommit(() -> answer.complete(Optional.of(queued)));
            turn.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    private List<Build> recordHead(Turn turn, String branchName, String sha) {
        heads.put(branchName, sha);
        turn.stage(new BuildBook.BranchHead(branchName, sha, turn.now));
        return List.of();
    }

    /** Queues the push's builds (folding into one still waiting) and records the branch's new head with them. */
    private List<Build> queuePush(Turn turn, String branchName, String sha, String tree) {
        List<Build> queued = new ArrayList<>();
        for (Pipeline pipeline : catalog.get().onPush(branchName)) {
            StreakKey key = new StreakKey(pipeline.name(), branchName);
            Optional<Build> waiting = live.values().stream()
                    .filter(b -> b.key().equals(key) && b.state() == BuildState.QUEUED && b.trigger().isAutomatic())
                    .findFirst();
            if (waiting.isPresent()) {
                if (!waiting.get().sha().equals(sha)) {
                    queued.add(put(turn, waiting.get().movedTo(sha, tree), "build.queued"));
                } else {
                    queued.add(waiting.get());
                }
                continue;
            }
            queued.add(put(turn, Build.queued(ids.next(), pipeline.name(), branchName, sha, tree,
                    BuildTrigger.PUSH, "push", turn.now, null), "build.queued"));
        }
        // last: if staging a build threw, the head is not recorded without its builds (the next poll tries again)
        recordHead(turn, branchName, sha);
        return List.copyOf(queued);
    }

    public CompletableFuture<Build> cancel(String buildId, String by) {
        CompletableFuture<Build> answer = new CompletableFuture<>();
        submit(turn -> {
            Build current = live.get(buildId);
            if (current == null) {
                answer.completeExceptionally(ended(buildId));
                return;
            }
            Optional<String> runId = current.currentRunId();
            Build cancelled = put(turn, current.cancelled(turn.now, by), "build.cancelled");
            ended(turn, cancelled);
            runId.ifPresent(id -> {
                OutputCopy copy = outputCopies.remove(id);
                if (copy != null) {
                    // its run had finished: the copy stops (interrupted), so no tags are pushed for a cancelled build
                    busyRuns.remove(id + OUTPUTS);
                    turn.afterCommit(() -> copy.task.cancel(true));
                }
            });
            runId.ifPresent(id -> turn.afterCommit(() -> stopAtRunner(cancelled, id)));
            turn.afterCommit(() -> answer.complete(cancelled));
            turn.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    /** An operator lets automatic builds of a held pipeline run again on a branch; recorded with who and why. */
    public CompletableFuture<Streak> unhold(String pipeline, String branchName, String by, String reason) {
        CompletableFuture<Streak> answer = new CompletableFuture<>();
        submit(turn -> {
            StreakKey key = new StreakKey(pipeline, branchName);
            Streak current = streaks.get(key);
            if (current == null || !current.held()) {
                answer.completeExceptionally(new BuildRefusedException.NotHeld(key));
                return;
            }
            Streak unheld = current.unheld(by, reason, turn.now);
            streaks.put(key, unheld);
            turn.stage(unheld);
            turn.byPerson(by, "unhold " + pipeline + " on " + branchName + " by " + by + ": " + reason);
            turn.announce("build.unheld", key.toString(), unheld);
            turn.afterCommit(() -> answer.complete(unheld));
            turn.onFailure(answer::completeExceptionally);
        }, answer);
        return answer;
    }

    // ---- runner reports (any thread) -------------------------------------------------------------------------------

    @Override
    public void started(String runId, RunnerRef ref, Instant at) {
        submit(turn -> onTruth(turn, runId, new RunnerTruth.Running(ref, at)), null);
    }

    @Override
    public void finished(String runId, RunnerRef ref, RunOutcome outcome) {
        submit(turn -> onTruth(turn, runId, new RunnerTruth.Finished(ref, outcome)), null);
    }

    // ---- the loop --------------------------------------------------------------------------------------------------

    private void run() {
        // on the loop, not the caller's thread (stopping a leftover waits out its grace), and before the runs are
        // read back: what an earlier owner left running is stopped, then found ended
        try {
            runner.takeOver();
        } catch (RuntimeException e) {
            // the loop must start whatever happened: a leftover not stopped is logged, never a dead loop
            LOG.errorf(e, "Could not stop what an earlier runner left running");
        }
        while (!closed && !restored.isDone()) {
            try {
                restore();
                restored.complete(null);
                restate();
            } catch (RuntimeException e) {
                LOG.warnf("Cannot read the builds from the state branch yet: %s", e.toString());
                sleep(settings.tick().multipliedBy(5));
            }
        }
        while (!closed) {
            try {
                Step first = inbox.poll(settings.tick().toMillis(), TimeUnit.MILLISECONDS);
                Turn turn = new Turn(clock.instant());
                List<Step> steps = new ArrayList<>();
                if (first != null) {
                    steps.add(first);
                    inbox.drainTo(steps, MAX_STEPS_PER_TURN - 1);
                }
                for (Step step : steps) {
                    try {
                        step.apply(turn);
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "A build step failed");
                    }
                }
                housekeeping(turn);
                commit(turn);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "The build loop failed a turn");
            }
        }
    }

    private void restore() {
        LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        BuildBook.Restored state = book.restore(branch, now);
        if (!state.unreadable().isEmpty()) {
            quarantine(state.unreadable());
        }
        live.clear();
        streaks.clear();
        heads.clear();
        busyRuns.clear();
        // what was being copied is settled anew: the reloaded attempts are inspected and copied again
        outputCopies.values().forEach(copy -> copy.task.cancel(true));
        outputCopies.clear();
        state.live().forEach(b -> live.put(b.id(), b));
        state.streaks().forEach(s -> streaks.put(s.key(), s));
        state.heads().forEach(h -> heads.put(h.branch(), h.sha()));
        day = now;
        today = state.today();
        nextReconcile = Instant.MIN; // settle every dispatched or running attempt at once
        publishView(Map.of());
        LOG.infof("Restored %d live builds and %d streaks", live.size(), streaks.size());
    }

    /**
     * Tells the announcer again of every live build and of the last ended build of each (pipeline, branch), as stored:
     * what was told before a restart (GitHub mode: a commit status waiting to be posted) may never have left the
     * process, and a commit left {@code pending} blocks branch protection for good. Telling twice is harmless.
     */
    private void restate() {
        List<Build> builds = new ArrayList<>(live.values());
        for (Streak streak : streaks.values()) {
            if (streak.lastBuild() == null || streak.lastBuild().isEmpty() || live.containsKey(streak.lastBuild())) {
                continue;
            }
            try {
                book.find(branch, streak.lastBuild()).ifPresent(builds::add);
            } catch (RuntimeException e) {
                LOG.warnf("Could not read build %s to restate it: %s", streak.lastBuild(), e.toString());
            }
        }
        for (Build build : builds) {
            try {
                announcer.recorded(build);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not restate build %s", build.id());
            }
        }
    }

    /**
     * Moves records a restart could not read into {@code quarantine/} in one commit, only if still there as read
     * (another writer may have fixed one meanwhile). A failed commit fails the restore, which is tried again: a record
     * is never skipped silently.
     */
    private void quarantine(List<BuildBook.Unreadable> records) {
        Instant at = clock.instant();
        branch.apply(new Change("quarantine " + records.size() + " unreadable record(s)",
                Actor.service(settings.service()), workspace -> records.forEach(record -> {
                    if (workspace.read(record.path())
                            .filter(d -> Arrays.equals(d.content(), record.content())).isPresent()) {
                        book.stageQuarantine(workspace, record, at);
                    }
                }))).await().atMost(Duration.ofSeconds(30));
        records.forEach(record -> LOG.errorf("Quarantined %s (%s): moved to %s for an operator", record.path(),
                record.reason(), BuildBook.QUARANTINE));
    }

    private void housekeeping(Turn turn) {
        LocalDate now = LocalDate.ofInstant(turn.now, ZoneOffset.UTC);
        if (!now.equals(day)) {
            day = now;
            today = new BuildBook.Daily(0, 0);
        }
        watchTimeouts(turn);
        if (!turn.now.isBefore(nextReconcile)) {
            nextReconcile = turn.now.plus(settings.reconcileInterval());
            reconcile();
        }
        PipelineCatalog pipelines = catalog.get();
        BuildQueue.Plan plan = BuildQueue.plan(live.values(), this::held, name -> pipelines.pipeline(name).isPresent(),
                settings.parallelism(), settings.dailyAutomaticMax() - today.automatic(), turn.now);
        for (Build build : plan.dispatch()) {
            dispatch(turn, build, pipelines.pipeline(build.pipeline()).orElseThrow());
        }
        Map<String, WaitReason> waiting = plan.waiting();
        turn.afterCommit(() -> publishView(waiting));
    }

    private void dispatch(Turn turn, Build build, Pipeline pipeline) {
        boolean firstAttempt = build.attempts().isEmpty();
        Build dispatched = put(turn, build.dispatched(turn.now), "build.dispatched");
        if (firstAttempt) {
            today = today.plus(build.trigger().isAutomatic());
            turn.stage(day, today);
        }
        String runId = dispatched.currentRunId().orElseThrow();
        busyRuns.add(runId);
        turn.afterCommit(() -> calls.execute(() -> startAtRunner(dispatched, pipeline, runId)));
    }

    private void startAtRunner(Build build, Pipeline pipeline, String runId) {
        try {
            String ref = target.refFor(build, runId);
            RunnerRef accepted = runner.start(BuildSpecs.of(build, pipeline, runId, ref));
            submit(turn -> {
                busyRuns.remove(runId);
                Build current = live.get(build.id());
                if (current == null || !current.currentRunId().equals(Optional.of(runId))) {
                    // cancelled while the start was on its way: the stop went out before the runner had the run, so
                    // stop what it has just begun
                    stopAtRunner(build.withRunner(accepted), runId);
                    return;
                }
                if (accepted.externalId().isPresent() || accepted.url().isPresent()) {
                    put(turn, current.withRunner(accepted), null);
                }
            }, null);
        } catch (RunnerUnavailableException e) {
            // the start may or may not have reached the runner (an answer lost): the attempt stays dispatched and the
            // next reconciliation asks the runner, which starts it again only if it never saw it
            LOG.warnf("build %s: the runner did not take attempt %s yet: %s", build.id(), runId, e.getMessage());
            submit(turn -> {
                busyRuns.remove(runId);
                Build current = live.get(build.id());
                if (current == null || !current.currentRunId().equals(Optional.of(runId))) {
                    // cancelled meanwhile, and the start may have reached the runner: a stop of a run it never had is
                    // nothing to it
                    stopAtRunner(build, runId);
                    return;
                }
                nextReconcile = turn.now.plus(settings.tick().multipliedBy(10));
            }, null);
        } catch (RunRejectedException e) {
            // can never start as declared: the declaration's fault, not the machinery's, so not retried by default
            failAttempt(runId, new AttemptResult.Failed(FailureClass.BUILD, null,
                    "the runner refused the build: " + e.getMessage(), clock.instant()));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.errorf(e, "build %s: attempt %s could not be prepared", build.id(), runId);
            failAttempt(runId, new AttemptResult.Failed(FailureClass.INFRA, null, "could not start: " + e,
                    clock.instant()));
        }
    }

    private void failAttempt(String runId, AttemptResult.Failed result) {
        submit(turn -> {
            busyRuns.remove(runId);
            Build build = byRunId(runId);
            if (build != null) {
                attemptEnded(turn, build, runId, result);
            }
        }, null);
    }

    private void stopAtRunner(Build build, String runId) {
        calls.execute(() -> {
            try {
                runner.cancel(lookup(build, runId));
            } catch (RunnerUnavailableException e) {
                LOG.warnf("build %s: could not reach the runner to stop %s: %s", build.id(), runId, e.getMessage());
            } finally {
                target.release(runId);
                outputs.discard(runId);
            }
        });
    }

    /** Asks the runner about every dispatched or running attempt that has no call in flight. */
    private void reconcile() {
        for (Build build : live.values()) {
            if (!build.state().isActive()) {
                continue;
            }
            String runId = build.currentRunId().orElseThrow();
            if (!busyRuns.add(runId)) {
                continue;
            }
            RunLookup lookup = lookup(build, runId);
            calls.execute(() -> {
                RunnerTruth truth;
                try {
                    truth = runner.inspect(lookup);
                } catch (RunnerUnavailableException | RuntimeException e) {
                    LOG.debugf("build %s: cannot inspect %s now: %s", build.id(), runId, e.getMessage());
                    submit(turn -> busyRuns.remove(runId), null);
                    return;
                }
                submit(turn -> {
                    busyRuns.remove(runId);
                    if (truth instanceof RunnerTruth.Unknown) {
                        restartUnknown(turn, build.id(), runId);
                    } else {
                        onTruth(turn, runId, truth);
                    }
                }, null);
            });
        }
    }

    /** The runner never saw the attempt (the service stopped between recording and starting it): start it now. */
    private void restartUnknown(Turn turn, String buildId, String runId) {
        Build current = live.get(buildId);
        if (current == null || !current.currentRunId().equals(Optional.of(runId))) {
            return;
        }
        if (current.state() == BuildState.RUNNING) {
            // it had started, and the runner forgot it: lost, like a killed process
            attemptEnded(turn, current, runId, new AttemptResult.Failed(FailureClass.INFRA, null,
                    "the runner has no trace of this running attempt any more", turn.now));
            return;
        }
        Optional<Pipeline> pipeline = catalog.get().pipeline(current.pipeline());
        if (pipeline.isEmpty()) {
            return;
        }
        LOG.infof("build %s: the runner never saw attempt %s; starting it now", buildId, runId);
        busyRuns.add(runId);
        calls.execute(() -> startAtRunner(current, pipeline.get(), runId));
    }

    private void watchTimeouts(Turn turn) {
        for (Build build : List.copyOf(live.values())) {
            Optional<Attempt> open = build.currentAttempt();
            OutputCopy copy = open.map(a -> outputCopies.get(a.runId())).orElse(null);
            if (copy != null && copy.startedAt != null
                    && copy.startedAt.plus(settings.copyTimeout()).isBefore(turn.now)) {
                String runId = open.get().runId();
                outputCopies.remove(runId);
                busyRuns.remove(runId + OUTPUTS);
                copy.task.cancel(true); // interrupts it: a download waiting is abandoned, no tags are pushed
                LOG.warnf("build %s: the outputs of %s were not copied within %s; copy stopped", build.id(), runId,
                        settings.copyTimeout());
                attemptEnded(turn, build, runId, new AttemptResult.Failed(FailureClass.INFRA, 0,
                        "the outputs were not copied within " + settings.copyTimeout()
                                + " (monkeytown.build.github.copy-timeout)",
                        turn.now));
                continue;
            }
            // an attempt whose run finished is not timed out while its end is settled: its outputs being copied
            // (bounded as a whole by copy-timeout, above) or its failure being classified
            if (open.isEmpty() || busyRuns.contains(open.get().runId())
                    || busyRuns.contains(open.get().runId() + OUTPUTS)
                    || busyRuns.contains(open.get().runId() + CLASSIFYING)) {
                continue;
            }
            Duration timeout = catalog.get().pipeline(build.pipeline()).map(Pipeline::timeout)
                    .orElse(Pipeline.DEFAULT_TIMEOUT);
            if (build.state() == BuildState.DISPATCHED
                    && open.get().dispatchedAt().plus(settings.startTimeout()).isBefore(turn.now)) {
                stopAtRunner(build, open.get().runId());
                onTruth(turn, open.get().runId(), new RunnerTruth.Finished(RunnerRef.of(runner.kind()),
                        RunOutcome.Failed.neverRan("the runner did not start it within " + settings.startTimeout(),
                                turn.now)));
            } else if (build.state() == BuildState.RUNNING && open.get().startedAt() != null && open.get().startedAt()
                    .plus(timeout).plus(settings.runningGrace()).isBefore(turn.now)) {
                stopAtRunner(build, open.get().runId());
                onTruth(turn, open.get().runId(), new RunnerTruth.Finished(RunnerRef.of(runner.kind()),
                        new RunOutcome.TimedOut(turn.now)));
            }
        }
    }

    /** Applies what the runner says about an attempt; reports about attempts that are not current are ignored. */
    private void onTruth(Turn turn, String runId, RunnerTruth truth) {
        Build build = byRunId(runId);
        if (build == null) {
            return; // an ended build, an older attempt or a redelivered report
        }
        if (truth instanceof RunnerTruth.Running running && build.state() == BuildState.DISPATCHED) {
            put(turn, build.started(running.startedAt(), running.ref()), "build.started");
        } else if (truth instanceof RunnerTruth.Pending pending) {
            learnWhere(turn, build, pending.ref());
        } else if (truth instanceof RunnerTruth.Finished finished) {
            busyRuns.remove(runId);
            Build known = learnWhere(turn, build, finished.ref());
            if (evidence.wanted(finished.ref(), finished.outcome())) {
                classifyWithEvidence(known, runId, finished);
                return;
            }
            attemptEnded(turn, known, runId, AttemptResult.of(finished.ref().kind(), finished.outcome(), false));
        }
    }

    /**
     * A report that cannot be classified by itself (GitHub: a run that concluded failure, a failed step or a lost
     * runner): the runner's side is asked, off the loop, and the attempt ends with the class decided from both. A read
     * that fails (5xx, rate limit, a 404 just after completion) is tried again, {@value #EVIDENCE_TRIES} tries in all,
     * waiting {@link Settings#evidenceRetry} then twice that; after the last the report is classified as it stands
     * (logged). Meanwhile the attempt is marked busy, so it is neither timed out nor classified twice (a redelivered
     * webhook, a reconciliation).
     */
    private void classifyWithEvidence(Build build, String runId, RunnerTruth.Finished finished) {
        if (!busyRuns.add(runId + CLASSIFYING)) {
            return;
        }
        RunnerRef ref = finished.ref().attempt().isPresent()
                ? finished.ref()
                : build.currentAttempt().map(Attempt::runner).flatMap(RunnerRef::attempt)
                        .map(finished.ref()::withAttempt).orElse(finished.ref());
        calls.execute(() -> readEvidence(build.id(), runId, ref, finished, 1));
    }

    private void readEvidence(String buildId, String runId, RunnerRef ref, RunnerTruth.Finished finished,
            int tryNumber) {
        Optional<String> lost = Optional.empty();
        Throwable fatal = null;
        try {
            lost = evidence.runnerLost(ref);
        } catch (java.io.IOException | RuntimeException e) {
            if (tryNumber < EVIDENCE_TRIES && retryEvidence(buildId, runId, ref, finished, tryNumber)) {
                LOG.infof("build %s: could not read whether %s lost its runner (try %d of %d), trying again: %s",
                        buildId, runId, tryNumber, EVIDENCE_TRIES, e.getMessage());
                return;
            }
            // no evidence: the run's own verdict stands (see FailureEvidence#runnerLost)
            LOG.warnf("build %s: could not tell whether %s lost its runner after %d tries, classified as the run"
                    + " concluded: %s", buildId, runId, tryNumber, e.getMessage());
        } catch (Throwable e) {
            // whatever was thrown (an Error too), the attempt ends and its mark clears, or its branch would never
            // build again
            LOG.errorf(e, "build %s: reading whether %s lost its runner failed; classified as the run concluded",
                    buildId, runId);
            fatal = e instanceof VirtualMachineError ? e : null;
        }
        Optional<String> found = lost;
        submit(turn -> {
            busyRuns.remove(runId + CLASSIFYING);
            Build current = byRunId(runId);
            if (current != null) {
                attemptEnded(turn, current, runId,
                        AttemptResult.of(finished.ref().kind(), finished.outcome(), false, found));
            }
        }, null);
        if (fatal != null) {
            throw (VirtualMachineError) fatal; // the machine is in trouble: said, once the attempt is settled
        }
    }

    /** Schedules the next read after its backoff; false when the engine is stopping (then classified now). */
    private boolean retryEvidence(String buildId, String runId, RunnerRef ref, RunnerTruth.Finished finished,
            int tryNumber) {
        if (closed) {
            return false;
        }
        long wait = settings.evidenceRetry().toMillis() << (tryNumber - 1);
        try {
            later.schedule(() -> {
                try {
                    calls.execute(() -> readEvidence(buildId, runId, ref, finished, tryNumber + 1));
                } catch (RejectedExecutionException e) {
                    LOG.debugf("build %s: stopping, %s is classified after the restart", buildId, runId);
                }
            }, wait, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Keeps where the runner has the attempt when the open attempt does not say yet (a dispatch answered without the
     * workflow run's id, or whose answer was lost): outputs are fetched from there, and a person can follow it.
     */
    private Build learnWhere(Turn turn, Build build, RunnerRef ref) {
        Attempt open = build.currentAttempt().orElse(null);
        boolean unknown = open != null && (open.runner() == null || open.runner().externalId().isEmpty());
        if (!unknown || ref.externalId().isEmpty()) {
            return build;
        }
        return put(turn, build.withRunner(ref), null);
    }

    private void attemptEnded(Turn turn, Build build, String runId, AttemptResult result) {
        if (result instanceof AttemptResult.Succeeded succeeded) {
            Pipeline pipeline = catalog.get().pipeline(build.pipeline()).orElse(null);
            if (pipeline == null || pipeline.outputs().isEmpty()) {
                finishSucceeded(turn, build, succeeded, OutputPublisher.Published.NOTHING, runId);
                return;
            }
            if (!busyRuns.add(runId + OUTPUTS)) {
                return; // already being published
            }
            OutputCopy copy = new OutputCopy();
            copy.task = copies.submit(() -> copyOutputs(copy, build, pipeline, runId, succeeded));
            outputCopies.put(runId, copy);
            return;
        }
        if (result instanceof AttemptResult.Failed failed) {
            Optional<Pipeline> pipeline = catalog.get().pipeline(build.pipeline());
            Optional<Duration> retry = pipeline.flatMap(p -> p.retry().retryAfter(failed.failureClass(),
                    build.attempts().size(), held(build.key())));
            Build next = build.failed(failed, retry);
            announcer.attemptEnded(next, failed);
            Build stored = put(turn, next, retry.isPresent() ? "build.retrying" : "build." + next.state().jsonName());
            turn.afterCommit(() -> {
                target.release(runId);
                outputs.discard(runId);
            });
            if (stored.state().isTerminal()) {
                ended(turn, stored);
            }
            return;
        }
        Build cancelled = put(turn, build.cancelled(result.at(), "runner"), "build.cancelled");
        ended(turn, cancelled);
    }

    /**
     * Copies a successful attempt's outputs, on {@link #copies}; its deadline ({@link Settings#copyTimeout}) counts
     * from here, not from when it was queued. Whatever it throws (an {@link Error} too) ends the attempt: the busy mark
     * must clear, or the attempt is never timed out and its branch never builds again.
     */
    private void copyOutputs(OutputCopy copy, Build build, Pipeline pipeline, String runId,
            AttemptResult.Succeeded succeeded) {
        copy.startedAt = clock.instant();
        OutputPublisher.Published published;
        try {
            published = outputs.publish(build, pipeline, runId);
        } catch (Throwable e) {
            // a refused connection's message is null: say what failed rather than "null"
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            // refused outputs are made alike by every re-run of the workflow: the build's fault, not retried
            FailureClass failureClass = e instanceof OutputRefusedException ? FailureClass.BUILD : FailureClass.INFRA;
            if (e instanceof Error) {
                LOG.errorf(e, "build %s: copying the outputs of %s failed", build.id(), runId);
            } else {
                LOG.warnf("build %s: outputs of %s could not be stored: %s", build.id(), runId, why);
            }
            submit(t -> copyEnded(t, copy, build.id(), runId, current -> attemptEnded(t, current, runId,
                    new AttemptResult.Failed(failureClass, 0, "the outputs could not be stored: " + why, t.now))),
                    null);
            return;
        }
        submit(t -> copyEnded(t, copy, build.id(), runId,
                current -> finishSucceeded(t, current, succeeded, published, runId)), null);
    }

    /** A copy ended: settles its attempt, unless the copy was stopped (deadline, cancel) and settled already. */
    private void copyEnded(Turn turn, OutputCopy copy, String buildId, String runId,
            Consumer<Build> settle) {
        if (outputCopies.get(runId) != copy) {
            return;
        }
        outputCopies.remove(runId);
        busyRuns.remove(runId + OUTPUTS);
        Build current = live.get(buildId);
        if (current != null && current.currentRunId().equals(Optional.of(runId))) {
            settle.accept(current);
        }
    }

    private void finishSucceeded(Turn turn, Build build, AttemptResult.Succeeded result,
            OutputPublisher.Published published, String runId) {
        Build done = put(turn, build.succeeded(result, published.outputs(), published.artifact().orElse(null)),
                "build.succeeded");
        announcer.attemptEnded(done, result);
        turn.afterCommit(() -> target.release(runId));
        ended(turn, done);
    }

    /** A build reached its final state: its streak moves, and the hold and alerts with it. */
    private void ended(Turn turn, Build build) {
        StreakKey key = build.key();
        Streak before = streaks.getOrDefault(key, Streak.clean(key));
        Streak after = before.after(build, turn.now);
        turn.afterCommit(() -> announcer.buildEnded(build));
        if (after.equals(before)) {
            return;
        }
        streaks.put(key, after);
        turn.stage(after);
        Map<String, Object> alert = Map.of("pipeline", key.pipeline(), "branch", key.branch(), "failures",
                after.failures(), "build", build.id());
        if (after.failures() > before.failures()) {
            if (before.failures() > 0) {
                turn.announce("build.still_failing", build.id(), alert);
            }
            if (before.severity() != after.severity()) {
                turn.announce("alert.raised", key.toString(), withSeverity(alert, after.severity()));
            }
            if (after.held() && !before.held()) {
                turn.announce("build.held", key.toString(), after);
            }
        } else if (after.failures() == 0 && before.failures() > 0) {
            turn.announce("build.fixed", build.id(), alert);
            turn.announce("alert.cleared", key.toString(), withSeverity(alert, before.severity()));
            if (before.held()) {
                turn.announce("build.unheld", key.toString(), after);
            }
        }
    }

    private static Map<String, Object> withSeverity(Map<String, Object> alert, Streak.Severity severity) {
        Map<String, Object> out = new java.util.TreeMap<>(alert);
        out.put("severity", severity.name().toLowerCase(java.util.Locale.ROOT));
        out.put("alert", severity == Streak.Severity.CRITICAL
                ? "Build failure (3+ consecutive)"
                : "Build failure (1-2)");
        return out;
    }

    private void commit(Turn turn) {
        if (!turn.hasWrites()) {
            turn.announcements().forEach(a -> announcer.publish(a.type(), a.subject(), a.data()));
            turn.afterCommitActions().forEach(BuildEngine::quietly);
            return;
        }
        try {
            branch.apply(turn.toChange(book, settings.service())).await().indefinitely();
        } catch (RuntimeException e) {
            LOG.warnf("Could not record the builds' changes; nothing of them happened: %s", e.toString());
            turn.failureActions().forEach(action -> action.accept(e));
            try {
                restore();
            } catch (RuntimeException again) {
                LOG.warnf("Could not reload the builds: %s", again.toString());
            }
            return;
        }
        turn.announcements().forEach(a -> announcer.publish(a.type(), a.subject(), a.data()));
        turn.staged().forEach(build -> quietly(() -> announcer.recorded(build)));
        turn.afterCommitActions().forEach(BuildEngine::quietly);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Stages the build and keeps it (or drops it, once ended) in the loop's live set. */
    private Build put(Turn turn, Build build, String event) {
        Build stored = turn.stage(build, event);
        if (stored.state().isTerminal()) {
            live.remove(stored.id());
        } else {
            live.put(stored.id(), stored);
        }
        return stored;
    }

    private Build byRunId(String runId) {
        for (Build build : live.values()) {
            if (build.currentRunId().equals(Optional.of(runId))) {
                return build;
            }
        }
        return null;
    }

    private boolean held(StreakKey key) {
        Streak streak = streaks.get(key);
        return streak != null && streak.held();
    }

    private RunLookup lookup(Build build, String runId) {
        Attempt attempt = build.currentAttempt()
                .filter(a -> a.runId().equals(runId))
                .orElseGet(() -> build.attempts().stream().filter(a -> a.runId().equals(runId)).findFirst()
                        .orElseThrow());
        Optional<String> workflow = catalog.get().pipeline(build.pipeline()).flatMap(Pipeline::workflow);
        return new RunLookup(runId, workflow, attempt.dispatchedAt(), Optional.ofNullable(attempt.runner()));
    }

    private RuntimeException ended(String buildId) {
        return new BuildRefusedException.NotLive(buildId);
    }

    private void publishView(Map<String, WaitReason> waiting) {
        view = new EngineView(Map.copyOf(live), Map.copyOf(streaks), Map.copyOf(waiting), day, today,
                Map.copyOf(heads), settings.dailyAutomaticMax());
    }

    private void submit(Step step, CompletableFuture<?> answer) {
        if (closed) {
            if (answer != null) {
                answer.completeExceptionally(new IllegalStateException("the build service is shutting down"));
            }
            return;
        }
        if (answer == null) {
            inbox.add(step);
            return;
        }
        // a step that throws (a bug, a record breaking a rule) still answers its caller, who would wait forever
        inbox.add(turn -> {
            try {
                step.apply(turn);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
                throw e;
            }
        });
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "An action after a commit failed");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Stops the loop; runs in flight are left to the runner (closed separately) and settled after a restart. */
    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        calls.shutdownNow();
        copies.shutdownNow();
        later.shutdownNow();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
