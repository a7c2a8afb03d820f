package dev.monkeytown.state.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
import dev.monkeytown.state.engine.LostCommitSettlement.Outcome;
import dev.monkeytown.state.engine.LostCommitSettlement.Unsettled;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * Turns one batch of changes into one commit, on the committer thread: apply every change function to the head, commit
 * against that head, and on a lost compare-and-swap re-read the head and re-apply them all. Every caller of the batch
 * is completed exactly once, and only after the backend returned.
 * <p>
 * The backend's exception says what happened, and each case has one answer here: a lost race re-applies; a failure
 * that wrote nothing waits and retries (bounded); a refusal fails the batch; an ambiguous outcome is settled by the
 * attempt's batch id ({@link LostCommitSettlement}) before anything is re-run, and every later lost race looks for
 * the unsettled attempts again, so a commit whose answer was lost is never written twice.
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
    private final Executor acknowledgements;
    private final Pause pause;
    private final LostCommitSettlement settlement;

    BatchCommitter(BranchView view, StateBranchOptions options, Actor committer, StatsRecorder stats,
            Executor acknowledgements, Pause pause) {
        this.view = view;
        this.options = options;
        this.committer = committer;
        this.stats = stats;
        this.acknowledgements = acknowledgements;
        this.pause = pause;
        this.settlement = new LostCommitSettlement(view, options, pause);
    }

    void process(List<PendingChange> batch) {
        process(batch, new ArrayList<>());
    }

    /**
     * @param unsettled attempts of these changes whose outcome is still unknown, carried over when a batch is split
     */
    private void process(List<PendingChange> batch, List<Unsettled> unsettled) {
        List<PendingChange> live = new ArrayList<>(batch);
        int conflicts = 0;
        Duration unavailableBackoff = options.retryBackoff();
        while (!live.isEmpty()) {
            Attempt attempt = null;
            try {
                // one head per lap: looked at for earlier attempts and built on by this one, so no refresh in between
                // can slip a landed attempt under a re-run
                Snapshot base = view.current();
                if (!unsettled.isEmpty()) {
                    Optional<Outcome> earlier = settlement.lookFrom(base.headId(), unsettled);
                    if (earlier.isPresent() && settled(earlier.get(), live)) {
                        return;
                    }
                }
                attempt = prepare(live, base);
                if (attempt.writesNothing()) {
                    confirmUnchanged(attempt);
                    return;
                }
                String commitId = view.commit(attempt.base(), attempt.puts(), attempt.deletes(), attempt.metadata());
                // The compare-and-swap succeeded, so the head the functions saw was the real one: their verdicts
                // are final, and no earlier attempt on that head can have landed.
                stats.committed(attempt.accepted().size());
                finish(attempt, commitId);
                return;
            } catch (AmbiguousCommitException e) {
                stats.ambiguous();
                view.markStale();
                unsettled.add(Unsettled.of(attempt, e.sentAt(), options.hostRequestTimeout()));
                Outcome outcome = settlement.settle(unsettled);
                if (settled(outcome, live)) {
                    return;
                }
                // not landed: nothing of it can land any more. Callers past their bounded wait hear so now, and a
                // batch the host keeps giving up on (too large to commit in its time) is halved
                live = failExpired(live, "a commit's answer was lost and it did not land", e);
                if (live.size() > 1) {
                    List<PendingChange> first = new ArrayList<>(live.subList(0, live.size() / 2));
                    List<PendingChange> rest = new ArrayList<>(live.subList(live.size() / 2, live.size()));
                    process(first, new ArrayList<>(unsettled));
                    process(rest, new ArrayList<>(unsettled));
                    return;
                }
            } catch (HeadMovedException e) {
                view.markStale();
                if (!unsettled.isEmpty() && settled(settlement.settle(unsettled), live)) {
                    return;
                }
                stats.conflict();
                conflicts++;
                if (conflicts > options.maxCasRetries()) {
                    fail(live, new StateConflictException("branch kept moving: gave up after " + conflicts
                            + " attempts to commit " + live.size() + " change(s)"));
                    return;
                }
                pause.sleep(conflictPause(conflicts));
            } catch (BackendException e) {
                view.markStale();
                if (!e.retryable()) {
                    fail(live, new StateUnavailableException("state backend refused: " + e.getMessage()
                            + (unsettled.isEmpty() ? "" : "; an earlier attempt may or may not have been recorded"),
                            e));
                    return;
                }
                stats.unavailableRetry();
                live = failExpired(live, "state backend unavailable: " + e.getMessage()
                        + (unsettled.isEmpty() ? "" : "; an earlier attempt may or may not have been recorded"), e);
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

    /**
     * Acts on a settlement: a landed attempt completes the batch with its own verdicts; "unknown" fails it without
     * a re-run. Returns whether the batch is done.
     */
    private boolean settled(Outcome outcome, List<PendingChange> live) {
        if (outcome instanceof Outcome.Landed landed) {
            Attempt attempt = landed.attempt();
            view.installOwn(attempt.base(), landed.commitId(), attempt.puts(), attempt.deletes());
            stats.committed(attempt.accepted().size());
            finish(attempt, landed.commitId());
            return true;
        }
        if (outcome instanceof Outcome.Unknown unknown) {
            fail(live, new StateUnavailableException("a commit's answer was lost and " + unknown.reason()
                    + "; the change may or may not have been recorded", null));
            return true;
        }
        return false;
    }

    /** Runs every change function on {@code base}; throws only if the backend failed while they read. */
    private Attempt prepare(List<PendingChange> live, Snapshot base) throws BackendException {
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
        var deletes = batch.deletes();
        if (puts.isEmpty() && deletes.isEmpty()) {
            return new Attempt(base, accepted, rejected, puts, deletes, null);
        }
        List<Change> changes = accepted.stream().map(PendingChange::change).toList();
        CommitMetadata metadata = BatchCommitMetadata.of(changes, committer, options.clock().instant(),
                UUID.randomUUID().toString());
        return new Attempt(base, accepted, rejected, puts, deletes, metadata);
    }

    /**
     * Nothing to write, yet the verdicts were reached on our view, which another replica may have outdated: they stand
     * only if it is still the head (a cheap conditional read on GitHub).
     */
    private void confirmUnchanged(Attempt attempt) throws HeadMovedException, BackendException {
        if (!view.isStillHead(attempt.base())) {
            throw new HeadMovedException("head moved while deciding changes that write nothing");
        }
        stats.unchanged(attempt.accepted().size());
        finish(attempt, new CommitReceipt(attempt.base().head(), options.clock().instant(), 0));
    }

    private void finish(Attempt attempt, String commitId) {
        finish(attempt, new CommitReceipt(commitId, attempt.metadata().time(), attempt.accepted().size()));
    }

    private void finish(Attempt attempt, CommitReceipt receipt) {
        stats.rejected(attempt.rejected().size());
        attempt.rejected().forEach(this::complete);
        attempt.accepted().forEach(pending -> complete(pending, receipt));
    }

    /** Fails the callers past their bounded wait with {@code why}; returns the others. */
    private List<PendingChange> failExpired(List<PendingChange> live, String why, Throwable cause) {
        long now = System.nanoTime();
        List<PendingChange> waiting = new ArrayList<>();
        List<PendingChange> expired = new ArrayList<>();
        for (PendingChange pending : live) {
            (pending.expiredAt(now) ? expired : waiting).add(pending);
        }
        if (!expired.isEmpty()) {
            fail(expired, new StateUnavailableException("not recorded within " + options.unavailableWait() + ": "
                    + why, cause));
        }
        return waiting;
    }

    private void fail(List<PendingChange> pendings, RuntimeException failure) {
        stats.failed(pendings.size());
        pendings.forEach(pending -> complete(pending, failure));
    }

    /**
     * Completes callers on the acknowledgement executor, never on the committer thread (their continuations must not
     * delay the next commit) and never behind reads waiting for a slow backend.
     */
    private void complete(PendingChange pending, Object outcome) {
        Runnable completion = outcome instanceof CommitReceipt receipt
                ? () -> pending.caller().complete(receipt)
                : () -> pending.caller().completeExceptionally((Throwable) outcome);
        try {
            acknowledgements.execute(completion);
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
