package dev.monkeytown.github;

import java.time.Duration;

/**
 * Closed while GitHub has told us to stop for one rate-limit resource ({@code Retry-After}, exhausted quota until
 * {@code x-ratelimit-reset}). Every request of that resource, read or write, passes through it before it is sent, so
 * nothing reaches GitHub inside the window.
 * <p>
 * The window is kept on the local monotonic clock: GitHub's times are turned into a duration on GitHub's own clock
 * (see {@link RateLimitAnswer}) and that duration is applied here, so a skewed or jumping wall clock changes nothing.
 */
final class BackoffGate {

    private long openAtNanos = System.nanoTime();

    synchronized void closeFor(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        if (until - openAtNanos > 0) {
            openAtNanos = until;
            notifyAll();
        }
    }

    /** Time left in the current window; zero when open. */
    synchronized Duration remaining() {
        return Duration.ofNanos(Math.max(0, openAtNanos - System.nanoTime()));
    }

    synchronized boolean isOpen() {
        return openAtNanos - System.nanoTime() <= 0;
    }

    /** Blocks until open; fails at once if the window ends after the caller's deadline. */
    synchronized void awaitOpen(Deadline deadline, ApiRequest request) throws InterruptedException {
        while (true) {
            long left = openAtNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (deadline.isBefore(openAtNanos)) {
                throw new GitHubUnavailableException("GitHub asked to wait " + Duration.ofNanos(left).toSeconds()
                        + " s more, past the bounded wait for " + request, null);
            }
            wait(left / 1_000_000 + 1);
        }
    }
}
