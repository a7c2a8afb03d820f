package dev.monkeytown.state.spi;

import java.time.Instant;

/**
 * A commit request reached the host (or may have) and its answer was lost: a timeout, a reset connection, a 5xx, a
 * GraphQL "timeout" error. The host may still apply it, up to its own request timeout after {@link #sentAt()} (GitHub
 * kills requests after 10 s). Only the batch id the commit carries can tell, so the engine settles it; the backend
 * must never guess.
 */
public class AmbiguousCommitException extends BackendException {

    private final Instant sentAt;

    public AmbiguousCommitException(String message, Throwable cause, Instant sentAt) {
        super(message, cause, true);
        this.sentAt = sentAt;
    }

    /** When the request left this process (before any wait for pacing or back-off). */
    public Instant sentAt() {
        return sentAt;
    }
}
