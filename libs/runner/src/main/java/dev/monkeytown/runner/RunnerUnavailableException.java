package dev.monkeytown.runner;

/**
 * The runner could not be reached or turned the request away for a reason that passes (an outage, a rate limit).
 * Dispatching pauses when a start fails this way; queued runs stay queued.
 */
public final class RunnerUnavailableException extends Exception {

    public RunnerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public RunnerUnavailableException(String message) {
        super(message);
    }
}
