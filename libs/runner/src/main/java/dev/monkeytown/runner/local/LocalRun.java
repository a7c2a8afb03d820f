package dev.monkeytown.runner.local;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunSpec;

/**
 * The mutable side of one local run, shared by the thread that launches it, the timeout, a cancel, and the exit handler.
 * Launch and stop requests go through one lock so a cancel can never slip between "not stopped yet" and "process started"
 * and leave a process nobody kills.
 */
final class LocalRun {

    /** Why the runner, not the command, ended the run. */
    enum StopReason {
        CANCELLED, TIMED_OUT
    }

    final RunSpec spec;
    /** Completes with the moment the command's process began; never, when it never did. */
    final CompletableFuture<Instant> started = new CompletableFuture<>();
    /** Completes once the run is over, reported and cleaned up. */
    final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    /** Completes once the command's output has all been copied into the log. */
    final CompletableFuture<Void> outputCopied = new CompletableFuture<>();

    private Process process;
    private ProcessGroup group;
    private StopReason stopReason;
    private boolean exited;
    private CompletableFuture<Void> treeGone;
    private Future<?> timeout;

    LocalRun(RunSpec spec) {
        this.spec = spec;
    }

    /** Starts the process unless the run was already stopped; returns {@code null} in that case. */
    synchronized Process launch(Callable<Process> start, boolean grouped) throws Exception {
        if (stopReason != null) {
            return null;
        }
        process = start.call();
        group = new ProcessGroup(process.toHandle(), grouped);
        return process;
    }

    /**
     * Records the first reason to stop (a cancel racing a timeout keeps whichever came first) and returns the group to
     * kill, or {@code null} when there is none yet, the command already exited, or the run was already being stopped.
     * The caller must complete {@link #treeGone()} once the group is dead.
     */
    synchronized ProcessGroup stop(StopReason reason) {
        if (stopReason != null || exited) {
            return null; // a command that already exited on its own keeps its own result
        }
        stopReason = reason;
        if (group != null) {
            treeGone = new CompletableFuture<>();
        }
        return group;
    }

    synchronized StopReason stopReason() {
        return stopReason;
    }

    synchronized ProcessGroup group() {
        return group;
    }

    synchronized Process process() {
        return process;
    }

    /** Marks the command's process as exited and says whether the runner had stopped it. */
    synchronized StopReason exited() {
        exited = true;
        return stopReason;
    }

    /**
     * Completes when a kill in progress is over. The leader exits as soon as it is signalled, while the rest of its
     * group may take its grace period; the outcome must wait for them so "timed out" also means "nothing left running".
     */
    synchronized CompletableFuture<Void> treeGone() {
        return treeGone == null ? CompletableFuture.completedFuture(null) : treeGone;
    }

    synchronized void timeoutScheduled(Future<?> pending) {
        timeout = pending;
    }

    synchronized void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
