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
 * @param workerThreads threads that load documents for reads and complete callers, so neither runs on the caller's
 *        event loop nor on the committer thread
 * @param clock commit timestamps
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
        Clock clock) {

    public StateBranchOptions {
        if (maxCasRetries < 0) {
            throw new IllegalArgumentException("maxCasRetries must be >= 0");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be >= 1");
        }
        requirePositive(unavailableWait, "unavailableWait");
        requirePositive(retryBackoff, "retryBackoff");
        requirePositive(maxRetryBackoff, "maxRetryBackoff");
        requirePositive(conflictBackoff, "conflictBackoff");
        Objects.requireNonNull(clock, "clock");
    }

    /** 20 retries, batches of up to 500, 30 s bounded wait for the backend (0.1 s to 5 s back-off). */
    public static StateBranchOptions defaults() {
        return new StateBranchOptions(20, 500, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofMillis(4), null, 4, Clock.systemUTC());
    }

    public Actor committerFor(String service) {
        return committer != null ? committer : Actor.service(service);
    }

    public StateBranchOptions withMaxCasRetries(int value) {
        return new StateBranchOptions(value, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, clock);
    }

    public StateBranchOptions withMaxBatchSize(int value) {
        return new StateBranchOptions(maxCasRetries, value, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, clock);
    }

    public StateBranchOptions withUnavailableWait(Duration wait, Duration firstBackoff, Duration maxBackoff) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, wait, firstBackoff, maxBackoff, conflictBackoff,
                committer, workerThreads, clock);
    }

    public StateBranchOptions withCommitter(Actor value) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, value, workerThreads, clock);
    }

    public StateBranchOptions withClock(Clock value) {
        return new StateBranchOptions(maxCasRetries, maxBatchSize, unavailableWait, retryBackoff, maxRetryBackoff,
                conflictBackoff, committer, workerThreads, value);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
