package dev.monkeytown.build.builds;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which failed attempts a pipeline retries, how often and after how long: {@code retry: {limit: 2, on: [infra,
 * timeout], backoff: 30s}}. The wait doubles with each retry (30 s, 60 s, 120 s ...) and never exceeds
 * {@link #MAX_BACKOFF}, so a runner that is down is not hammered and a build is not parked for hours.
 *
 * @param limit retries after the first attempt (2: at most three attempts)
 * @param on the failure classes worth another attempt; {@code build} (the command failed) is deterministic and left out
 *        by default
 * @param backoff the wait before the first retry
 */
public record RetryPolicy(int limit, Set<FailureClass> on, Duration backoff) {

    public static final int MAX_LIMIT = 10;
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    public static final RetryPolicy DEFAULT = new RetryPolicy(2, EnumSet.of(FailureClass.INFRA, FailureClass.TIMEOUT),
            Duration.ofSeconds(30));

    public RetryPolicy {
        Objects.requireNonNull(on, "on");
        Objects.requireNonNull(backoff, "backoff");
        on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(on));
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("retry limit must be 0 to " + MAX_LIMIT + ", was " + limit);
        }
        if (backoff.isNegative() || backoff.compareTo(MAX_BACKOFF) > 0) {
            throw new IllegalArgumentException("backoff must be 0 to " + MAX_BACKOFF.toMinutes() + "m, was " + backoff);
        }
    }

    /**
     * @param failureClass the class of the attempt that just failed
     * @param attemptsMade attempts so far, the failed one included (1 after the first)
     * @param held whether the pipeline is held on the build's branch: a held pipeline retries nothing by itself
     * @return how long to wait before the next attempt, or empty when the build has failed for good
     */
    public Optional<Duration> retryAfter(FailureClass failureClass, int attemptsMade, boolean held) {
        Objects.requireNonNull(failureClass, "failureClass");
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade counts the failed attempt, so it is at least 1");
        }
        int retriesSoFar = attemptsMade - 1;
        if (held || !on.contains(failureClass) || retriesSoFar >= limit) {
            return Optional.empty();
        }
        Duration wait = backoff;
        for (int i = 0; i < retriesSoFar && wait.compareTo(MAX_BACKOFF) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return Optional.of(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
    }
}
