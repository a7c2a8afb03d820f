package dev.monkeytown.dispatcher.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

/**
 * Runs agents as local subprocesses, each in its own scratch clone of the repository, with output kept in a per-run log.
 * The embedded (no GitHub) mode's counterpart of a GitHub Actions workflow run.
 *
 * <p>
 * No caller thread ever waits on an agent: checkout, push and cleanup run on a small worker pool, the wait for the process
 * is {@link Process#onExit()}, and timeouts fire from a scheduler.
 */
public final class LocalRunner implements AgentRunner, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalRunner.class);

    /**
     * @param workRoot parent of the per-run scratch checkouts ({@code <workRoot>/<run-id>}), removed after each run
     * @param logRoot where {@code <run-id>.log} files are kept after the run
     * @param killGrace how long an agent has between the polite stop signal and the forced one
     * @param tailBytes how much of the end of a log {@link #log(String)} returns
     * @param workers threads for checkouts, pushes and cleanup (the agents themselves hold no thread while they run)
     */
    public record Settings(Path workRoot, Path logRoot, Duration killGrace, int tailBytes, int workers) {
        public Settings {
            Objects.requireNonNull(workRoot, "workRoot");
            Objects.requireNonNull(logRoot, "logRoot");
            Objects.requireNonNull(killGrace, "killGrace");
            if (killGrace.isNegative() || tailBytes <= 0 || workers <= 0) {
                throw new IllegalArgumentException("killGrace must not be negative, tailBytes and workers positive");
            }
        }

        /** 5 s grace, the last 64 KiB of a log, 4 workers. */
        public static Settings defaults(Path workRoot, Path logRoot) {
            return new Settings(workRoot, logRoot, Duration.ofSeconds(5), 64 * 1024, 4);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final RunLogs logs;
    private final ProcessMarks marks;
    private final Map<String, LocalRun> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;

    public LocalRunner(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    public LocalRunner(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logs = new RunLogs(settings.logRoot());
        this.marks = new ProcessMarks(settings.logRoot());
        marks.stopLeftovers(settings.killGrace())
                .forEach(runId -> noteQuietly(logs.fileOf(runId), "stopped: left running by a previous dispatcher"));
        this.workers = Executors.newFixedThreadPool(settings.workers(), daemonThreads("local-runner"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("local-runner-timeout"));
    }

    @Override
    public RunningAgent start(RunRequest request) {
        Objects.requireNonNull(request, "request");
        LocalRun run = new LocalRun(request);
        if (inFlight.putIfAbsent(request.runId(), run) != null) {
            throw new IllegalStateException("run " + request.runId() + " is already in flight");
        }
        try {
            workers.execute(() -> prepareAndLaunch(run));
        } catch (RejectedExecutionException e) {
            inFlight.remove(request.runId(), run);
            throw new IllegalStateException("the runner is closed", e);
        }
        return new RunningAgent(request.runId(), request.branch(), run.started.copy(), run.outcome.copy());
    }

    @Override
    public boolean cancel(String runId) {
        return stop(runId, LocalRun.StopReason.CANCELLED);
    }

    @Override
    public Optional<LogExcerpt> log(String runId) {
        return logs.tail(runId, settings.tailBytes());
    }

    /**
     * Whether a run was ever begun here or by an earlier runner on this machine: its log is created before its process,
     * so a run without a log surely never ran.
     */
    public boolean everBegun(String runId) {
        return inFlight.containsKey(runId) || Files.exists(logs.fileOf(runId));
    }

    /** Part of a log from a byte offset, for following a log as it grows. */
    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return logs.range(runId, fromByte, maxBytes);
    }

    /**
     * Cancels every run still in flight, waits (bounded) for their outcomes, then stops the runner's threads. The workers
     * must outlive the cancels: exit handling and cleanup run on them.
     */
    @Override
    public void close() {
        List<CompletableFuture<RunOutcome>> pending = inFlight.values().stream().map(run -> run.outcome).toList();
        inFlight.keySet().forEach(this::cancel);
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(settings.killGrace().multipliedBy(5).toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("closing with %d runs not finished", inFlight.size());
        }
        workers.shutdownNow();
        timer.shutdownNow();
    }

    private boolean stop(String runId, LocalRun.StopReason reason) {
        LocalRun run = inFlight.get(runId);
        if (run == null) {
            return false;
        }
        Process process = run.stop(reason);
        if (process != null) {
            // Killing waits out a grace period; that belongs on a worker, not on whoever asked.
            workers.execute(() -> {
                try {
                    kill(run, process);
                } finally {
                    run.treeGone().complete(null);
                }
            });
        }
        // With no process yet, the launch step sees the stop reason and finishes the run itself.
        return true;
    }

    private void prepareAndLaunch(LocalRun run) {
        RunRequest request = run.request;
        Path scratch = settings.workRoot().resolve(request.runId());
        Path logFile;
        try {
            logFile = logs.create(request.runId());
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "run %s: cannot create its log in %s", request.runId(), settings.logRoot());
            finish(run, null, new RunOutcome.Failed(OptionalInt.empty(), "cannot create log: " + e.getMessage(),
                    clock.instant()));
            return;
        }
        ScratchCheckout checkout = null;
        try {
            logs.note(logFile, "checking out " + request.ref() + " of " + request.repository());
            checkout = ScratchCheckout.clone(request.repository(), request.ref(), scratch);
            checkout.startBranch(request.branch());
            ProcessBuilder builder = processFor(request, checkout.directory(), logFile);
            Process process = run.launch(builder);
            if (process == null) {
                logs.note(logFile, "stopped (" + run.stopReason() + ") before the agent started");
                finish(run, checkout, stoppedOutcome(run.stopReason()));
                return;
            }
            marks.mark(request.runId(), process.toHandle());
            run.started.complete(clock.instant());
            ScratchCheckout launched = checkout;
            run.timeoutScheduled(timer.schedule(() -> stop(request.runId(), LocalRun.StopReason.TIMED_OUT),
                    request.timeout().toMillis(), TimeUnit.MILLISECONDS));
            process.onExit().thenAcceptAsync(exited -> afterExit(run, launched, logFile, exited), workers);
        } catch (Exception e) {
            LOG.warnf(e, "run %s of agent %s could not start", request.runId(), request.agent());
            noteQuietly(logFile, "could not start: " + e);
            finish(run, checkout, new RunOutcome.Failed(OptionalInt.empty(), "could not start: " + e.getMessage(),
                    clock.instant()));
        }
    }

    private ProcessBuilder processFor(RunRequest request, Path directory, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(request.command().argv())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                // The child writes straight into the file: no pump thread, and output survives a runner crash.
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Map<String, String> env = builder.environment();
        env.put("MONKEYTOWN_RUN_ID", request.runId());
        env.put("MONKEYTOWN_AGENT", request.agent());
        env.put("MONKEYTOWN_BRANCH", request.branch());
        // agents commit with the CLI; without an identity (a fresh machine, a container) `git commit` refuses to run
        String identity = "monkeytown-" + request.agent();
        env.putIfAbsent("GIT_AUTHOR_NAME", identity);
        env.putIfAbsent("GIT_AUTHOR_EMAIL", identity + "@agents.monkeytown");
        env.putIfAbsent("GIT_COMMITTER_NAME", identity);
        env.putIfAbsent("GIT_COMMITTER_EMAIL", identity + "@agents.monkeytown");
        return builder;
    }

    private void afterExit(LocalRun run, ScratchCheckout checkout, Path logFile, Process exited) {
        run.cancelTimeout();
        LocalRun.StopReason reason = run.exited();
        if (reason != null) {
            run.treeGone().thenRunAsync(() -> {
                noteQuietly(logFile, reason == LocalRun.StopReason.TIMED_OUT
                        ? "timed out after " + run.request.timeout() + "; process tree stopped"
                        : "cancelled; process tree stopped");
                finish(run, checkout, stoppedOutcome(reason));
            }, workers);
            return;
        }
        int exitCode = exited.exitValue();
        noteQuietly(logFile, "agent exited with code " + exitCode);
        if (exitCode != 0) {
            finish(run, checkout, RunOutcome.Failed.exited(exitCode, clock.instant()));
            return;
        }
        finish(run, checkout, deliverWork(run.request, checkout, logFile));
    }

    /** The local counterpart of opening a pull request: the agent's branch goes back to the repository. */
    private RunOutcome deliverWork(RunRequest request, ScratchCheckout checkout, Path logFile) {
        String branch = request.branch();
        try {
            if (!checkout.hasWorkOn(branch)) {
                noteQuietly(logFile, "no commits on " + branch + "; nothing to push");
                return new RunOutcome.Succeeded(false, clock.instant());
            }
            checkout.pushBranch(branch);
            noteQuietly(logFile, "pushed " + branch + " to " + request.repository());
            return new RunOutcome.Succeeded(true, clock.instant());
        } catch (Exception e) {
            LOG.warnf(e, "run %s: could not push %s", request.runId(), branch);
            noteQuietly(logFile, "could not push " + branch + ": " + e);
            return new RunOutcome.Failed(OptionalInt.of(0), "agent succeeded but its branch could not be pushed: "
                    + e.getMessage(), clock.instant());
        }
    }

    private void kill(LocalRun run, Process process) {
        List<ProcessHandle> survivors = ProcessTree.terminate(process.toHandle(), settings.killGrace());
        if (!survivors.isEmpty()) {
            LOG.errorf("run %s: processes %s survived SIGKILL", run.request.runId(),
                    survivors.stream().map(ProcessHandle::pid).toList());
        }
        // The outcome itself is reported by the exit handler, which sees the stop reason.
    }

    private RunOutcome stoppedOutcome(LocalRun.StopReason reason) {
        return reason == LocalRun.StopReason.TIMED_OUT
                ? new RunOutcome.TimedOut(clock.instant())
                : new RunOutcome.Cancelled(clock.instant());
    }

    /** Cleans up, then reports: a caller that sees the outcome may rely on the scratch directory being gone. */
    private void finish(LocalRun run, ScratchCheckout checkout, RunOutcome outcome) {
        try {
            if (checkout != null) {
                checkout.close();
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "run %s: scratch checkout left behind", run.request.runId());
        } finally {
            marks.clear(run.request.runId());
            inFlight.remove(run.request.runId(), run);
            run.started.completeExceptionally(new RunNotStartedException(run.request.runId()));
            run.outcome.complete(outcome);
        }
    }

    private void noteQuietly(Path logFile, String message) {
        try {
            logs.note(logFile, message);
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not append to %s", logFile);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
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
