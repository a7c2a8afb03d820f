package dev.monkeytown.state.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import dev.monkeytown.state.Actor;

/**
 * Tuning of one {@link GroupCommitStateBranch}.
 *
 * @param maxCasRetries how many times a batch is re-applied after losing the compare-and-swap before its callers get
 *        {@link dev.monkeytown.state.StateConflictException}
 * @param maxBatchSize most changes folded into one commit; the rest wait for the next one
 * @param unavailableWait how long a change may wait for an unreachable backend before its caller gets
 *        {@link dev.monkeytown.state.StateUnavailableException}
 * @param retryBackoff first pause after a retryable backend failure; doubles up to {@code maxRetryBackoff}
 * @param maxRetryBackoff longest pause between two attempts while the backend is unavailable
 * @param conflictBackoff upper bound of the first random pause after a lost compare-and-swap; doubles per retry so
 *        two replicas stop colliding
 * @param committer the commit's committer, and its author when a batch mixes actors; {@code null} means
 *        {@link Actor#service(String)} of the branch's service
 * @param workerThreads threads that load documents for reads and refresh the view, so neither runs on the caller's
 *        event loop nor on the committer thread
 * @param clock commit timestamps
 * @param hostRequestTimeout how long after a commit request was sent the host may still apply it (GitHub ends
 *        requests after 10 s): an ambiguous commit is called "not landed" only after this, if the head has not moved
 * @param lagTolerance how long the backend may show an older head or no branch before that is a {@link BranchAlarm}
 *        rather than a replica lagging a write
 * @param historyWalk most commits looked at to settle an ambiguous commit or relate two heads
 * @param objectCacheBytes bound of the blob cache ({@link ObjectCache})
 * @param maxPendingChanges most changes waiting for a commit; beyond, {@code apply} fails at once with
 *        {@link dev.monkeytown.state.StateUnavailableException} instead of queueing without bound
 * @param maxPendingReads most reads and refreshes waiting for a worker; beyond, they fail the same way
 */
public record StateBranchOptions(
        int maxCasRetries,
        int maxBatchSize,
        Duration unavailableWait,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration conflictBackoff,
        Actor committer,
        int workerThreads,
        Clock clock,
        Duration hostRequestTimeout,
        Duration lagTolerance,
        int historyWalk,
        long objectCacheBytes,
        int maxPendingChanges,
        int maxPendingReads) {

    /** GitHub ends every request after 10 seconds. */
    public static final Duration GITHUB_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** 64 MiB: a busy service's live documents many times over; history is read again on demand. */
    public static final long DEFAULT_OBJECT_CACHE_BYTES = 64L * 1024 * 1024;

    public StateBranchOptions {
        if (maxCasRetries < 0) {
            throw new IllegalArgumentException("maxCasRetries must be >= 0");
        }
        requireAtLeastOne(maxBatchSize, "maxBatchSize");
        requireAtLeastOne(workerThreads, "workerThreads");
        requireAtLeastOne(historyWalk, "historyWalk");
        requireAtLeastOne(maxPendingChanges, "maxPendingChanges");
        requireAtLeastOne(maxPendingReads, "maxPendingReads");
        if (objectCacheBytes < 0) {
            throw new IllegalArgumentException("objectCacheBytes must be >= 0");
        }
        requirePositive(unavailableWait, "unavailableWait");
        requirePositive(retryBackoff, "retryBackoff");
        requirePositive(maxRetryBackoff, "maxRetryBackoff");
        requirePositive(conflictBackoff, "conflictBackoff");
        requirePositive(hostRequestTimeout, "hostRequestTimeout");
        requirePositive(lagTolerance, "lagTolerance");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * 20 retries, batches of up to 500, 30 s bounded wait for the backend (0.1 s to 5 s back-off), GitHub's 10 s
     * request timeout, 10 s of tolerated lag, walks of up to 1,000 commits, a 64 MiB blob cache, 10,000 pending
     * changes and 1,000 pending reads.
     */
    public static StateBranchOptions defaults() {
        return new StateBranchOptions(20, 500, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofMillis(4), null, 4, Clock.systemUTC(), GITHUB_REQUEST_TIMEOUT, Duration.ofSeconds(10),
                1000, DEFAULT_OBJECT_CACHE_BYTES, 10_000, 1_000);
    }

    public Actor committerFor(String service) {
        return committer != null ? committer : Actor.service(service);
    }

    public StateBranchOptions withMaxCasRetries(int value) {
        return new StateBranchOptions(value, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, clock, hostRequestTimeout, lagTolerance, historyWalk,
                objectCacheBytes, maxPendingChanges, maxPendingReads);
    }

    public StateBranchOptions withMaxBatchSize(int value) {
        return new StateBranchOptions(maxCasRetries, value, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, clock, hostRequestTimeout, lagTolerance, historyWalk,
                objectCacheBytes, maxPendingChanges, maxPendingReads);
    }

    public StateBranchOptions withUnavailableWait(Duration wait, Duration firstBackoff, Duration maxBackoff) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, wait, firstBackoff, maxBackoff, conflictBackoff,
                committer, workerThreads, clock, hostRequestTimeout, lagTolerance, historyWalk, objectCacheBytes,
                maxPendingChanges, maxPendingReads);
    }

    public StateBranchOptions withCommitter(Actor value) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, value, workerThreads, clock, hostRequestTimeout, lagTolerance, historyWalk,
                objectCacheBytes, maxPendingChanges, maxPendingReads);
    }

    public StateBranchOptions withClock(Clock value) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, value, hostRequestTimeout, lagTolerance, historyWalk,
                objectCacheBytes, maxPendingChanges, maxPendingReads);
    }

    /** How long the host may still apply a request, and how long a disagreeing head may be lag. */
    public StateBranchOptions withHostTiming(Duration requestTimeout, Duration tolerance) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, clock, requestTimeout, tolerance, historyWalk,
                objectCacheBytes, maxPendingChanges, maxPendingReads);
    }

    public StateBranchOptions withObjectCacheBytes(long value) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, clock, hostRequestTimeout, lagTolerance, historyWalk,
                value, maxPendingChanges, maxPendingReads);
    }

    public StateBranchOptions withPendingBounds(int changes, int reads) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, clock, hostRequestTimeout, lagTolerance, historyWalk,
                objectCacheBytes, changes, reads);
    }

    private static void requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
