package dev.monkeytown.state.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.StateConflictException;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.engine.BatchWorkspace.ChangeWorkspace;
import dev.monkeytown.state.engine.BranchView.Snapshot;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * Turns one batch of changes into one commit, on the committer thread: apply every change function to the head, commit
 * against that head, and on a lost compare-and-swap re-read the head and re-apply them all. Every caller of the batch
 * is completed exactly once, and only after the backend returned.
 */
final class BatchCommitter {

    /** Waits between attempts; returns false when the branch is closing and waiting should stop. */
    interface Pause {
        boolean sleep(Duration duration);
    }

    private final BranchView view;
    private final StateBranchOptions options;
    private final Actor committer;
    private final StatsRecorder stats;
    private final Executor callbacks;
    private final Pause pause;

    BatchCommitter(BranchView view, StateBranchOptions options, Actor committer, StatsRecorder stats,
            Executor callbacks, Pause pause) {
        this.view = view;
        this.options = options;
        this.committer = committer;
        this.stats = stats;
        this.callbacks = callbacks;
        this.pause = pause;
    }

    void process(List<PendingChange> batch) {
        List<PendingChange> live = new ArrayList<>(batch);
        int conflicts = 0;
        Duration unavailableBackoff = options.retryBackoff();
        while (!live.isEmpty()) {
            try {
                attempt(live);
                return;
            } catch (HeadMovedException e) {
                stats.conflict();
                conflicts++;
                if (conflicts > options.maxCasRetries()) {
                    fail(live, new StateConflictException("branch kept moving: gave up after " + conflicts
                            + " attempts to commit " + live.size() + " change(s)"));
                    return;
                }
                view.markStale();
                pause.sleep(conflictPause(conflicts));
            } catch (BackendException e) {
                if (!e.retryable()) {
                    fail(live, new StateUnavailableException("state backend refused: " + e.getMessage(), e));
                    return;
                }
                stats.unavailableRetry();
                view.markStale();
                live = failExpired(live, e);
                if (live.isEmpty()) {
                    return;
                }
                if (!pause.sleep(min(jitter(unavailableBackoff), untilFirstDeadline(live)))) {
                    fail(live, new StateUnavailableException("state branch closed while the backend was unavailable",
                            e));
                    return;
                }
                unavailableBackoff = min(unavailableBackoff.multipliedBy(2), options.maxRetryBackoff());
            }
        }
    }

    /** One try at committing {@code live}; completes every caller unless it throws. */
    private void attempt(List<PendingChange> live) throws HeadMovedException, BackendException {
        Snapshot base = view.current();
        BatchWorkspace batch = new BatchWorkspace(base, view);
        List<PendingChange> accepted = new ArrayList<>();
        Map<PendingChange, Throwable> rejected = new LinkedHashMap<>();
        for (PendingChange pending : live) {
            ChangeWorkspace workspace = batch.open();
            try {
                pending.change().edits().apply(workspace);
                if (batch.backendFailure() != null) {
                    throw batch.backendFailure();
                }
                workspace.accept();
                accepted.add(pending);
            } catch (BatchWorkspace.BackendReadFailed e) {
                throw batch.backendFailure();
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                if (batch.backendFailure() != null) {
                    throw batch.backendFailure();
                }
                // A refusal or a bug (even an AssertionError) in one change function fails that change alone.
                workspace.discard();
                rejected.put(pending, e);
            }
        }
        Map<String, byte[]> puts = batch.puts();
        Set<String> deletes = batch.deletes();
        if (puts.isEmpty() && deletes.isEmpty()) {
            // Nothing to write, yet the verdicts were reached on our view, which another replica may have outdated:
            // they stand only if it is still the head (a cheap conditional read on GitHub).
            if (!view.isStillHead(base)) {
                throw new HeadMovedException("head moved while deciding changes that write nothing");
            }
            CommitReceipt receipt = new CommitReceipt(base.head(), options.clock().instant(), 0);
            finish(accepted, receipt, rejected);
            stats.unchanged(accepted.size());
            return;
        }
        List<Change> changes = accepted.stream().map(PendingChange::change).toList();
        CommitMetadata metadata = BatchCommitMetadata.of(changes, committer, options.clock().instant(),
                java.util.UUID.randomUUID().toString());
        String commitId = view.commit(base, puts, deletes, metadata);
        // The compare-and-swap succeeded, so the head the functions saw was the real one: their verdicts are final.
        stats.committed(accepted.size());
        finish(accepted, new CommitReceipt(commitId, metadata.time(), accepted.size()), rejected);
    }

    private void finish(List<PendingChange> accepted, CommitReceipt receipt,
            Map<PendingChange, Throwable> rejected) {
        stats.rejected(rejected.size());
        rejected.forEach(this::complete);
        accepted.forEach(pending -> complete(pending, receipt));
    }

    private List<PendingChange> failExpired(List<PendingChange> live, BackendException cause) {
        long now = System.nanoTime();
        List<PendingChange> waiting = new ArrayList<>();
        List<PendingChange> expired = new ArrayList<>();
        for (PendingChange pending : live) {
            (pending.expiredAt(now) ? expired : waiting).add(pending);
        }
        if (!expired.isEmpty()) {
            fail(expired, new StateUnavailableException("state backend unavailable for longer than "
                    + options.unavailableWait() + ": " + cause.getMessage(), cause));
        }
        return waiting;
    }

    private void fail(List<PendingChange> pendings, RuntimeException failure) {
        stats.failed(pendings.size());
        pendings.forEach(pending -> complete(pending, failure));
    }

    /** Completes callers off the committer thread, so their continuations never delay the next commit. */
    private void complete(PendingChange pending, Object outcome) {
        Runnable completion = outcome instanceof CommitReceipt receipt
                ? () -> pending.caller().complete(receipt)
                : () -> pending.caller().completeExceptionally((Throwable) outcome);
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private Duration conflictPause(int conflicts) {
        Duration ceiling = options.conflictBackoff().multipliedBy(1L << Math.min(conflicts - 1, 6));
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling.toNanos() + 1));
    }

    /** Between half and all of {@code backoff}, so replicas that failed together do not retry together. */
    private static Duration jitter(Duration backoff) {
        long nanos = backoff.toNanos();
        return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
    }

    /** Waking at the first deadline keeps the wait bounded by {@code unavailableWait}, whatever the back-off. */
    private static Duration untilFirstDeadline(List<PendingChange> live) {
        long now = System.nanoTime();
        long first = live.stream().mapToLong(pending -> pending.deadlineNanos() - now).min().orElse(0);
        return Duration.ofNanos(Math.max(first, 1_000_000));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
