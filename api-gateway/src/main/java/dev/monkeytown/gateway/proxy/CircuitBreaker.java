package dev.monkeytown.gateway.proxy;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One route's breaker: after {@code threshold} consecutive failures it opens and refuses at once for {@code openFor},
 * then lets a single trial request through (half-open); the trial's outcome closes or reopens it. Refusing at once is
 * the point: callers get a quick 503 instead of each waiting out a timeout on a service that is known to be down.
 * <p>
 * Only transport failures count (refused, reset, timed out): an HTTP 5xx is an answer, and passed on as one. Used on
 * the gateway's event loops alike, so its state is guarded by the monitor.
 */
public final class CircuitBreaker {

    /** Whether a request may go ahead, and if not, how long until the breaker lets a trial through. */
    public record Permit(boolean granted, Duration retryAfter) {
        static final Permit GRANTED = new Permit(true, Duration.ZERO);
    }

    private enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoClock;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private long trialStartedAt;

    public CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    public synchronized Permit tryAcquire() {
        switch (state) {
            case CLOSED :
                return Permit.GRANTED;
            case OPEN :
                long waited = nanoClock.getAsLong() - openedAt;
                if (waited >= openForNanos) {
                    return startTrial();
                }
                return new Permit(false, Duration.ofNanos(openForNanos - waited));
            default :
                // a trial is under way: the others wait for its verdict rather than pile onto a service that may be
                // down; a trial that never reported (its caller went away) is replaced after another open period
                if (nanoClock.getAsLong() - trialStartedAt >= openForNanos) {
                    return startTrial();
                }
                return new Permit(false, Duration.ofSeconds(1));
        }
    }

    private Permit startTrial() {
        state = State.HALF_OPEN;
        trialStartedAt = nanoClock.getAsLong();
        return Permit.GRANTED;
    }

    public synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openedAt = nanoClock.getAsLong();
        }
    }

    public synchronized boolean isOpen() {
        return state != State.CLOSED;
    }
}
