package dev.monkeytown.dispatcher.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The dispatcher's circuit breaker: after the runner or the state store was unreachable, no new run is dispatched until
 * a back-off has passed, doubling while failures continue. Queued runs simply wait; one trial after each pause finds
 * out whether the dependency is back. A success from the dependency that tripped the gate closes it again; a success
 * from the other one does not (GitHub's Actions API can fail while its GraphQL API works). Only the dispatch loop calls
 * the mutators; readiness reads the volatile fields.
 */
final class DispatchGate {

    enum Cause {
        RUNNER, STATE_STORE
    }

    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);

    private volatile Instant pausedUntil;
    private volatile String reason;
    private Cause cause;
    private Duration pause;

    boolean isOpen(Instant now) {
        Instant until = pausedUntil;
        return until == null || !now.isBefore(until);
    }

    void trip(Cause why, String message, Instant now) {
        pause = pause == null ? FIRST_PAUSE : min(pause.multipliedBy(2), LONGEST_PAUSE);
        cause = why;
        reason = message;
        pausedUntil = now.plus(pause);
    }

    /** {@code who} answered: if it is what tripped the gate, dispatching is back to normal. */
    void succeeded(Cause who) {
        if (cause == who) {
            cause = null;
            pause = null;
            reason = null;
            pausedUntil = null;
        }
    }

    boolean trippedBy(Cause who) {
        return cause == who;
    }

    /** Why dispatching is paused, until the dependency that failed has answered again. */
    Optional<String> pausedBecause() {
        return Optional.ofNullable(reason);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
