package dev.monkeytown.events.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with "equal jitter": the n-th wait is a random point in the upper half of
 * {@code min(max, initial * 2^n)}, so replicas that lost the same producer do not all come back in the same instant.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    Backoff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
    }

    /** The wait before the next attempt, counting one more failure. */
    long nextDelayMillis() {
        long ceiling = ceilingMillis(failures);
        failures = Math.min(failures + 1, 62);
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    /** The slowest wait, for failures that retrying soon cannot fix. */
    long slowDelayMillis() {
        failures = Math.min(failures + 1, 62);
        long half = maxMillis / 2;
        return half + ThreadLocalRandom.current().nextLong(maxMillis - half + 1);
    }

    void reset() {
        failures = 0;
    }

    long ceilingMillis(int failureCount) {
        // compared by shifting the cap down, so a long run of failures cannot overflow into a negative wait
        if (failureCount >= 62 || initialMillis > maxMillis >> failureCount) {
            return maxMillis;
        }
        return initialMillis << failureCount;
    }
}
