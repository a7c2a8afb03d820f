package dev.monkeytown.artifact.storage.github;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * GitHub's LFS service could not be reached, kept failing or kept rate-limiting within the bounded wait; nothing was
 * promised. {@code retryAfter}: how long GitHub last asked to be left alone, passed on to the client.
 */
public class LfsUnavailableException extends IOException {

    private final Optional<Duration> retryAfter;

    public LfsUnavailableException(String message, Throwable cause) {
        this(message, cause, Optional.empty());
    }

    public LfsUnavailableException(String message, Throwable cause, Optional<Duration> retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
