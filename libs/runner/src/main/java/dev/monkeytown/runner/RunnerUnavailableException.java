package dev.monkeytown.runner;

import java.time.Duration;
import java.util.Optional;

/**
 * The runner could not be reached or turned the request away for a reason that passes (an outage, a rate limit).
 * Dispatching pauses when a start fails this way; queued runs stay queued.
 */
public final class RunnerUnavailableException extends Exception {

    private final transient Optional<Duration> retryAfter;

    public RunnerUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = Optional.empty();
    }

    public RunnerUnavailableException(String message) {
        this(message, Optional.empty());
    }

    /** @param retryAfter how long the runner asked to be left alone (a rate limit's {@code Retry-After}), if it said */
    public RunnerUnavailableException(String message, Optional<Duration> retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the runner asked to be left alone, when it said (a rate limit); empty for an outage. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
