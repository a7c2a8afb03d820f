package dev.monkeytown.github;

import java.time.Duration;
import java.time.Instant;

/**
 * Closed while GitHub has told us to stop ({@code Retry-After}, exhausted quota until {@code x-ratelimit-reset}).
 * Every request, read or write, passes through it before it is sent, so nothing reaches GitHub inside the window.
 */
final class BackoffGate {

    private Instant openAt = Instant.MIN;

    synchronized void closeUntil(Instant until) {
        if (until.isAfter(openAt)) {
            openAt = until;
            notifyAll();
        }
    }

    synchronized Instant openAt() {
        return openAt;
    }

    /** Time left in the current window; zero when open. */
    synchronized Duration remaining() {
        Duration left = Duration.between(Instant.now(), openAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Blocks until open; fails at once if the window ends after the caller's deadline. */
    synchronized void awaitOpen(Instant deadline, ApiRequest request) throws InterruptedException {
        while (true) {
            Instant now = Instant.now();
            if (!now.isBefore(openAt)) {
                return;
            }
            if (openAt.isAfter(deadline)) {
                throw new GitHubUnavailableException(
                        "GitHub asked to wait until " + openAt + ", past the bounded wait for " + request, null);
            }
            long millis = Math.max(1, Duration.between(now, openAt).toMillis() + 1);
            wait(millis);
        }
    }
}
