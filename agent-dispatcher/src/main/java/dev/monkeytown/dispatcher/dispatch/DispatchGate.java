package dev.monkeytown.dispatcher.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The dispatcher's circuit breaker: after the runner was unreachable, no new run is dispatched until a back-off has
 * passed, doubling while the runner keeps failing. Queued runs simply wait; one trial start after each pause finds out
 * whether the runner is back. Only the dispatch loop calls the mutators; readiness reads the volatile fields.
 */
final class DispatchGate {

    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);

    private volatile Instant pausedUntil;
    private volatile String reason;
    private Duration pause;

    boolean isOpen(Instant now) {
        Instant until = pausedUntil;
        return until == null || !now.isBefore(until);
    }

    void trip(String why, Instant now) {
        pause = pause == null ? FIRST_PAUSE : min(pause.multipliedBy(2), LONGEST_PAUSE);
        reason = why;
        pausedUntil = now.plus(pause);
    }

    void reset() {
        pause = null;
        reason = null;
        pausedUntil = null;
    }

    /** Why dispatching is paused, while it has not yet succeeded again after a failure. */
    Optional<String> pausedBecause() {
        return Optional.ofNullable(reason);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
