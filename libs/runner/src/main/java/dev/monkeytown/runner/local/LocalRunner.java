package dev.monkeytown.runner.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;
import dev.monkeytown.runner.SecretValues;

/**
 * Runs commands as local subprocesses, each in a scratch clone of a local repository, each the leader of its own
 * process group (and, where bubblewrap is installed, in a sandbox), with its output masked into a per-run log. The
 * embedded (no GitHub) mode's counterpart of a GitHub Actions workflow run.
 *
 * <p>
 * No caller thread ever waits on a command: checkout, delivery and cleanup run on a small worker pool, the wait for the
 * process is {@link Process#onExit()}, and timeouts fire from a scheduler. Processes are started from one long-lived
 * thread: bubblewrap's {@code --die-with-parent} watches the thread that started it, and a pool thread that ends would
 * take its sandbox with it.
 *
 * <p>
 * Its truth is this process's memory and the log directory: after a restart it knows no run, and a run whose log
 * exists was begun by a runner that is gone, so {@link #inspect} reports it failed rather than letting it start twice.
 */
public final class LocalRunner implements Runner {

    public static final String KIND = "local";

    private static final Logger LOG = Logger.getLogger(LocalRunner.class);
    private static final int RECENT_OUTCOMES = 1000;

    /**
     * @param repository the local Git repository commands work on a clone of, and where delivered branches go
     * @param workRoot parent of the per-run scratch directories ({@code <workRoot>/<run-id>}), removed after each run
     * @param logRoot where {@code <run-id>.log} files are kept after the run
     * @param killGrace how long a command has between the polite stop signal and the forced one
     * @param tailBytes how much of the end of a log {@link #log} returns when asked for the end
     * @param workers threads for checkouts, deliveries and cleanup (the commands themselves hold none while they run)
     * @param sandbox where commands run: bubblewrap or not
     * @param secrets the service's secrets, masked in every log on top of each run's own
     * @param logLimit most bytes of a command's output kept in its log; the rest is read and dropped, said so in the log
     *        (a command printing in a loop must not fill the disk the suite's state lives on)
     */
    public record Settings(Path repository, Path workRoot, Path logRoot, Duration killGrace, int tailBytes,
            int workers, Sandbox sandbox, SecretValues secrets, long logLimit) {
        /** 16 MiB: far more than a build or an agent's useful output, far less than a data disk. */
        public static final long DEFAULT_LOG_LIMIT = 16L * 1024 * 1024;

        public Settings {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(workRoot, "workRoot");
            Objects.requireNonNull(logRoot, "logRoot");
            Objects.requireNonNull(killGrace, "killGrace");
            Objects.requireNonNull(sandbox, "sandbox");
            Objects.requireNonNull(secrets, "secrets");
            if (killGrace.isNegative() || tailBytes <= 0 || workers <= 0 || logLimit <= 0) {
                throw new IllegalArgumentException(
                        "killGrace must not be negative, tailBytes, workers and logLimit positive");
            }
        }

        /** As the canonical constructor, with the {@link #DEFAULT_LOG_LIMIT default log limit}. */
        public Settings(Path repository, Path workRoot, Path logRoot, Duration killGrace, int tailBytes, int workers,
                Sandbox sandbox, SecretValues secrets) {
            this(repository, workRoot, logRoot, killGrace, tailBytes, workers, sandbox, secrets, DEFAULT_LOG_LIMIT);
        }

        /** 5 s grace, the last 64 KiB of a log, 4 workers, bubblewrap when available, no secrets known. */
        public static Settings defaults(Path repository, Path workRoot, Path logRoot) {
            return new Settings(repository, workRoot, logRoot, Duration.ofSeconds(5), 64 * 1024, 4,
                    Sandbox.choose(Sandbox.Mode.AUTO, List.of(), List.of()), SecretValues.NONE);
        }

        public Settings withKillGrace(Duration grace) {
            return new Settings(repository, workRoot, logRoot, grace, tailBytes, workers, sandbox, secrets, logLimit);
        }

        public Settings withSandbox(Sandbox chosen) {
            return new Settings(repository, workRoot, logRoot, killGrace, tailBytes, workers, chosen, secrets, logLimit);
        }

        public Settings withSecrets(SecretValues values) {
            return new Settings(repository, workRoot, logRoot, killGrace, tailBytes, workers, sandbox, values, logLimit);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, String> serviceEnvironment;
    private final RunLogs logs;
    private final ProcessMarks marks;
    private final Optional<Path> setsid;
    private final Map<String, LocalRun> inFlight = new ConcurrentHashMap<>();
    /** Outcomes of runs that ended here, so an inspection racing the report still tells the truth. */
    private final Map<String, RunnerTruth.Finished> recent = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunnerTruth.Finished> eldest) {
            return size() > RECENT_OUTCOMES;
        }
    });
    private final ExecutorService workers;
    private final ExecutorService spawner;
    private final ExecutorService logCopiers;
    private final ScheduledExecutorService timer;
    private volatile RunListener listener;
    private volatile WorkCollector collector;

    /**
     * Looks at a run's checkout after its command succeeded and before the checkout is removed: how a build keeps its
     * outputs. Runs on a runner worker; a collector that throws fails the run (exit code 0, the work not carried through).
     */
    @FunctionalInterface
    public interface WorkCollector {
        void collect(String runId, Path checkout) throws IOException;
    }

    public LocalRunner(Settings settings) {
        this(settings, Clock.systemUTC(), System.getenv());
    }

    /** @param serviceEnvironment the environment the allow-listed variables ({@code PATH}, locale) are taken from */
    public LocalRunner(Settings settings, Clock clock, Map<String, String> serviceEnvironment) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serviceEnvironment = Map.copyOf(serviceEnvironment);
        this.logs = new RunLogs(settings.logRoot(), settings.logLimit());
        this.marks = new ProcessMarks(settings.logRoot());
        this.setsid = ProcessGroup.groupsReadable() ? Sandbox.onPath("setsid") : Optional.empty();
        if (setsid.isEmpty()) {
            LOG.warnf("setsid or /proc is missing: a local command's processes are found by walking its descendants,"
                    + " and orphans of a command that exited may survive it");
        }
        this.workers = Executors.newFixedThreadPool(settings.workers(), daemonThreads("local-runner"));
        this.spawner = Executors.newSingleThreadExecutor(daemonThreads("local-runner-spawn"));
        this.logCopiers = Executors.newCachedThreadPool(daemonThreads("local-runner-log"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("local-runner-timeout"));
    }

    /** Stops the process groups an earlier runner on these directories marked and left running (a SIGKILLed service). */
    @Override
    public void takeOver() {
        marks.stopLeftovers(settings.killGrace(), inFlight::containsKey).forEach(runId -> logs.appendNote(runId,
                "stopped: left running by a previous runner", settings.secrets()));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void listen(RunListener runListener) {
        this.listener = Objects.requireNonNull(runListener, "listener");
    }

    /** Registers the one collector of successful runs' work. Called once, before the first {@link #start}. */
    public void collectWith(WorkCollector workCollector) {
        this.collector = Objects.requireNonNull(workCollector, "collector");
    }

    public Sandbox sandbox() {
        return settings.sandbox();
    }

    @Override
    public RunnerRef start(RunSpec spec) throws RunRejectedException, RunnerUnavailableException {
        Objects.requireNonNull(spec, "spec");
        if (spec.command().isEmpty()) {
            throw new RunRejectedException("run " + spec.id() + " has no command for the local runner");
        }
        if (listener == null) {
            throw new IllegalStateException("listen before the first start");
        }
        LocalRun run = new LocalRun(spec);
        if (recent.containsKey(spec.id()) || inFlight.putIfAbsent(spec.id(), run) != null) {
            return RunnerRef.of(KIND); // the same run asked twice (a retried start): it is one run
        }
        try {
            workers.execute(() -> prepareAndLaunch(run));
        } catch (RejectedExecutionException e) {
            inFlight.remove(spec.id(), run);
            throw new RunnerUnavailableException("the local runner is closed", e);
        }
        return RunnerRef.of(KIND);
    }

    @Override
    public void cancel(RunLookup run) {
        stop(run.id(), LocalRun.StopReason.CANCELLED);
    }

    @Override
    public RunnerTruth inspect(RunLookup lookup) {
        RunnerRef ref = lookup.ref().orElse(RunnerRef.of(KIND));
        LocalRun run = inFlight.get(lookup.id());
        if (run != null) {
            CompletableFuture<Instant> started = run.started;
            return started.isDone() && !started.isCompletedExceptionally()
                    ? new RunnerTruth.Running(ref, started.join())
                    : new RunnerTruth.Pending(ref);
        }
        RunnerTruth.Finished finished = recent.get(lookup.id());
        if (finished != null) {
            return finished;
        }
        if (logs.exists(lookup.id())) {
            // begun by a runner that is gone (killed, or replaced by this one), whose processes are stopped: the run
            // must not be started a second time, and its outcome died with that runner
            return new RunnerTruth.Finished(ref, RunOutcome.Failed.neverRan("the local runner has no trace of this"
                    + " run's process any more: the service that started it stopped, and a local run does not"
                    + " survive it", clock.instant()));
        }
        return new RunnerTruth.Unknown();
    }

    @Override
    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return fromByte < 0
                ? logs.tail(runId, Math.min(maxBytes, settings.tailBytes()))
                : logs.range(runId, fromByte, maxBytes);
    }

    /**
     * Cancels every run still in flight, waits (bounded) for their outcomes, then stops the runner's threads. The workers
     * must outlive the cancels: exit handling and cleanup run on them.
     */
    @Override
    public void close() {
        List<LocalRun> pending = new ArrayList<>(inFlight.values());
        pending.forEach(run -> stop(run.spec.id(), LocalRun.StopReason.CANCELLED));
        try {
            CompletableFuture.allOf(pending.stream().map(run -> run.outcome).toArray(CompletableFuture[]::new))
                    .get(settings.killGrace().multipliedBy(5).toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("closing with %d runs not finished", inFlight.size());
        }
        workers.shutdownNow();
        spawner.shutdownNow();
        logCopiers.shutdownNow();
        timer.shutdownNow();
    }

    private void stop(String runId, LocalRun.StopReason reason) {
        LocalRun run = inFlight.get(runId);
        if (run == null) {
            return;
        }
        ProcessGroup group = run.stop(reason);
        if (group != null) {
            // Killing waits out a grace period; that belongs on a worker, not on whoever asked.
            workers.execute(() -> {
                try {
                    kill(run, group);
                } finally {
                    run.treeGone().complete(null);
                }
            });
        }
        // With no process yet, the launch step sees the stop reason and finishes the run itself.
    }

    private void prepareAndLaunch(LocalRun run) {
        RunSpec spec = run.spec;
        SecretValues secrets = settings.secrets().plus(spec.secrets().values());
        RunLog log;
        try {
            log = logs.create(spec.id(), secrets);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "run %s: cannot create its log in %s", spec.id(), settings.logRoot());
            finish(run, null, null, RunOutcome.Failed.neverRan("cannot create log: " + e.getMessage(),
                    clock.instant()));
            return;
        }
        ScratchCheckout checkout = null;
        try {
            log.note("checking out " + spec.ref() + spec.commit().map(sha -> " at " + sha).orElse(""));
            checkout = ScratchCheckout.create(settings.repository(), spec.ref(), spec.commit(),
                    settings.workRoot().resolve(spec.id()));
            if (spec.deliverBranch().isPresent()) {
                checkout.startBranch(spec.deliverBranch().get());
            }
            ProcessBuilder builder = processFor(spec, checkout, log);
            Process process = run.launch(() -> spawner.submit(builder::start).get(), setsid.isPresent());
            if (process == null) {
                log.note("stopped (" + run.stopReason() + ") before the command started");
                finish(run, checkout, log, stoppedOutcome(run.stopReason()));
                return;
            }
            marks.mark(spec.id(), process.toHandle());
            Instant startedAt = clock.instant();
            log.note("started " + settings.sandbox().describe());
            run.started.complete(startedAt);
            listener.started(spec.id(), RunnerRef.of(KIND), startedAt);
            RunLog output = log;
            logCopiers.execute(() -> copyOutput(run, process, output));
            run.timeoutScheduled(timer.schedule(() -> stop(spec.id(), LocalRun.StopReason.TIMED_OUT),
                    spec.timeout().toMillis(), TimeUnit.MILLISECONDS));
            ScratchCheckout launched = checkout;
            process.onExit().thenAcceptAsync(exited -> afterExit(run, launched, output, exited), workers);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warnf("run %s could not start: %s", spec.id(), secrets.mask(String.valueOf(cause.getMessage())));
            noteQuietly(log, "could not start: " + cause);
            finish(run, checkout, log, RunOutcome.Failed.neverRan("could not start: " + cause.getMessage(),
                    clock.instant()));
        }
    }

    private ProcessBuilder processFor(RunSpec spec, ScratchCheckout checkout, RunLog log) {
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(path -> argv.add(path.toString()));
        argv.addAll(settings.sandbox().wrap(spec.command().orElseThrow(), checkout.scratch(), checkout.directory(),
                List.of(settings.repository(), settings.workRoot(), settings.logRoot())));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(checkout.directory().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(RunEnvironment.of(spec, checkout, serviceEnvironment));
        return builder;
    }

    private void copyOutput(LocalRun run, Process process, RunLog log) {
        try {
            log.copy(process.getInputStream());
        } catch (IOException | RuntimeException e) {
            // the pipe was closed under us: the command left a process holding it that could not be stopped
            LOG.debugf("run %s: output copy ended: %s", run.spec.id(), e.getMessage());
        } finally {
            run.outputCopied.complete(null);
        }
    }

    private void afterExit(LocalRun run, ScratchCheckout checkout, RunLog log, Process exited) {
        run.cancelTimeout();
        LocalRun.StopReason reason = run.exited();
        if (reason != null) {
            run.treeGone().thenRunAsync(() -> {
                awaitOutput(run, exited);
                noteQuietly(log, reason == LocalRun.StopReason.TIMED_OUT
                        ? "timed out after " + run.spec.timeout() + "; every process of the run stopped"
                        : "cancelled; every process of the run stopped");
                finish(run, checkout, log, stoppedOutcome(reason));
            }, workers);
            return;
        }
        // whatever the command left running (a background child, an orphan) is stopped before its work is looked at
        ProcessGroup group = run.group();
        int leftBehind = group.running().size();
        if (leftBehind > 0) {
            List<Long> survivors = group.terminate(settings.killGrace(), settings.sandbox().isolated());
            noteQuietly(log, "stopped " + leftBehind + " process(es) the command left running"
                    + (survivors.isEmpty() ? "" : "; still running: " + survivors));
        }
        awaitOutput(run, exited);
        int exitCode = exited.exitValue();
        noteQuietly(log, "command exited with code " + exitCode);
        if (exitCode != 0) {
            finish(run, checkout, log, RunOutcome.Failed.exited(exitCode, clock.instant()));
            return;
        }
        RunOutcome delivered = deliverWork(run.spec, checkout, log);
        finish(run, checkout, log, delivered instanceof RunOutcome.Succeeded
                ? collectWork(run.spec, checkout, log,
                        delivered)
                : delivered);
    }

    private RunOutcome collectWork(RunSpec spec, ScratchCheckout checkout, RunLog log, RunOutcome delivered) {
        WorkCollector current = collector;
        if (current == null) {
            return delivered;
        }
        try {
            current.collect(spec.id(), checkout.directory());
            return delivered;
        } catch (Exception e) {
            LOG.warnf("run %s: its work could not be collected: %s", spec.id(), e.getMessage());
            noteQuietly(log, "could not collect the run's work: " + e);
            return new RunOutcome.Failed(OptionalInt.of(0),
                    "the command succeeded but its work could not be collected: " + e.getMessage(), clock.instant());
        }
    }

    /**
     * The output pipe ends once every process holding it is gone; one that escaped the group (possible only without
     * bubblewrap) could hold it for ever, so the wait is bounded and the pipe then closed from this side.
     */
    private void awaitOutput(LocalRun run, Process process) {
        try {
            run.outputCopied.get(settings.killGrace().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            try {
                process.getInputStream().close();
            } catch (IOException ignored) {
                // closing is all that was wanted
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the copy never fails its future
        }
    }

    /** The local counterpart of opening a pull request: the run's branch goes back to the repository. */
    private RunOutcome deliverWork(RunSpec spec, ScratchCheckout checkout, RunLog log) {
        if (spec.deliverBranch().isEmpty()) {
            return new RunOutcome.Succeeded(false, clock.instant());
        }
        String branch = spec.deliverBranch().get();
        try {
            if (!checkout.hasWorkOn(branch)) {
                noteQuietly(log, "no commits on " + branch + "; nothing to deliver");
                return new RunOutcome.Succeeded(false, clock.instant());
            }
            checkout.deliver(branch, settings.repository());
            noteQuietly(log, "pushed " + branch + " to the repository");
            return new RunOutcome.Succeeded(true, clock.instant());
        } catch (Exception e) {
            LOG.warnf("run %s: could not deliver %s: %s", spec.id(), branch, e.getMessage());
            noteQuietly(log, "could not push " + branch + ": " + e);
            return new RunOutcome.Failed(OptionalInt.of(0),
                    "the command succeeded but its branch could not be delivered: " + e.getMessage(), clock.instant());
        }
    }

    private void kill(LocalRun run, ProcessGroup group) {
        List<Long> survivors = group.terminate(settings.killGrace(), settings.sandbox().isolated());
        if (!survivors.isEmpty()) {
            LOG.errorf("run %s: processes %s survived SIGKILL", run.spec.id(), survivors);
        }
        // The outcome itself is reported by the exit handler, which sees the stop reason.
    }

    private RunOutcome stoppedOutcome(LocalRun.StopReason reason) {
        return reason == LocalRun.StopReason.TIMED_OUT
                ? new RunOutcome.TimedOut(clock.instant())
                : new RunOutcome.Cancelled(clock.instant());
    }

    /** Cleans up, then reports: a caller that sees the outcome may rely on the scratch directory being gone. */
    private void finish(LocalRun run, ScratchCheckout checkout, RunLog log, RunOutcome outcome) {
        String runId = run.spec.id();
        try {
            if (checkout != null) {
                checkout.close();
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "run %s: scratch directory left behind", runId);
        }
        if (log != null) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.debugf(e, "run %s: could not close its log", runId);
            }
        }
        marks.clear(runId);
        RunnerRef ref = outcome instanceof RunOutcome.Succeeded succeeded && succeeded.deliveredBranch()
                ? RunnerRef.of(KIND).withBranch(run.spec.deliverBranch().orElseThrow())
                : RunnerRef.of(KIND);
        recent.put(runId, new RunnerTruth.Finished(ref, outcome));
        inFlight.remove(runId, run);
        run.outcome.complete(outcome);
        try {
            listener.finished(runId, ref, outcome);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s: the listener failed on its outcome", runId);
        }
    }

    private static void noteQuietly(RunLog log, String message) {
        if (log == null) {
            return;
        }
        try {
            log.note(message);
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not append to %s", log.file());
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
