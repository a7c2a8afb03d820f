package dev.monkeytown.github.testdouble;

import java.time.Duration;

/**
 * GitHub's secondary limits for one token, set with {@link GitHubDouble#secondaryLimits}: content-creating requests
 * (REST POST/PATCH/PUT/DELETE, GraphQL mutations) per minute and per hour, and requests in flight. A request over any
 * of them is refused with {@code status} (GitHub: 403, sometimes 429), "You have exceeded a secondary rate limit" and
 * {@code Retry-After}. Tests shorten the windows to reach a limit in a few requests.
 *
 * @param perMinute content-creating requests allowed in any {@code perMinute.window()} (GitHub: 80 a minute)
 * @param perHour content-creating requests allowed in any {@code perHour.window()} (GitHub: 500 an hour)
 * @param concurrentRequests requests of any kind in flight at once (GitHub: 100)
 */
public record SecondaryLimits(WriteRate perMinute, WriteRate perHour, int concurrentRequests, int status) {

    /** At most {@code writes} content-creating requests in any {@code window}. */
    public record WriteRate(int writes, Duration window) {

        public WriteRate {
            if (writes < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("writes must be >= 0 and window positive: " + writes + ", "
                        + window);
            }
        }
    }

    public SecondaryLimits {
        if (concurrentRequests < 1) {
            throw new IllegalArgumentException("concurrentRequests must be >= 1: " + concurrentRequests);
        }
        if (status != 403 && status != 429) {
            throw new IllegalArgumentException("GitHub refuses with 403 or 429, not " + status);
        }
    }

    /** GitHub's documented limits: 80 content-creating requests a minute, 500 an hour, 100 in flight; 403. */
    public static SecondaryLimits github() {
        return new SecondaryLimits(new WriteRate(80, Duration.ofMinutes(1)), new WriteRate(500, Duration.ofHours(1)),
                100, 403);
    }

    /** No secondary limits: the double's default, so tests that are not about them need not pace their clients. */
    public static SecondaryLimits none() {
        return new SecondaryLimits(new WriteRate(Integer.MAX_VALUE, Duration.ofMinutes(1)),
                new WriteRate(Integer.MAX_VALUE, Duration.ofHours(1)), Integer.MAX_VALUE, 403);
    }

    public SecondaryLimits withPerMinute(int writes, Duration window) {
        return new SecondaryLimits(new WriteRate(writes, window), perHour, concurrentRequests, status);
    }

    public SecondaryLimits withPerHour(int writes, Duration window) {
        return new SecondaryLimits(perMinute, new WriteRate(writes, window), concurrentRequests, status);
    }

    public SecondaryLimits withConcurrentRequests(int requests) {
        return new SecondaryLimits(perMinute, perHour, requests, status);
    }

    public SecondaryLimits withStatus(int refusalStatus) {
        return new SecondaryLimits(perMinute, perHour, concurrentRequests, refusalStatus);
    }
}
