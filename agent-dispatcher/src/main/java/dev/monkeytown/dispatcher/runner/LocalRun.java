package dev.monkeytown.dispatcher.runner;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The mutable side of one local run, shared by the thread that launches it, the timeout, a cancel, and the exit handler.
 * Launch and stop requests go through one lock so a cancel can never slip between "not stopped yet" and "process started"
 * and leave a process nobody kills.
 */
final class LocalRun {

    /** Why the runner, not the agent, ended the run. */
    enum StopReason {
        CANCELLED, TIMED_OUT
    }

    final RunRequest request;
    final CompletableFuture<Instant> started = new CompletableFuture<>();
    final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();

    private Process process;
    private StopReason stopReason;
    private boolean exited;
    private CompletableFuture<Void> treeGone;
    private Future<?> timeout;

    LocalRun(RunRequest request) {
        this.request = request;
    }

    /** Starts the process unless the run was already stopped; returns {@code null} in that case. */
    synchronized Process launch(ProcessBuilder builder) throws IOException {
        if (stopReason != null) {
            return null;
        }
        process = builder.start();
        return process;
    }

    /**
     * Records the first reason to stop (a cancel racing a timeout keeps whichever came first) and returns the process
     * tree to kill, or {@code null} when there is none yet, it already exited, or the run was already being stopped. The
     * caller must complete {@link #treeGone()} once the tree is dead.
     */
    synchronized Process stop(StopReason reason) {
        if (stopReason != null || exited) {
            return null; // an agent that already exited on its own keeps its own result
        }
        stopReason = reason;
        if (process != null) {
            treeGone = new CompletableFuture<>();
        }
        return process;
    }

    synchronized StopReason stopReason() {
        return stopReason;
    }

    /** Marks the agent's process as exited and says whether the runner had stopped it. */
    synchronized StopReason exited() {
        exited = true;
        return stopReason;
    }

    /**
     * Completes when a kill in progress is over. The shell exits as soon as it is signalled, while its children may take
     * their grace period; the outcome must wait for them so "timed out" also means "nothing left running".
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
