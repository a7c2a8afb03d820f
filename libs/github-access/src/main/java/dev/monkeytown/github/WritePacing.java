package dev.monkeytown.github;

import java.time.Duration;

/**
 * Limits on content-creating requests, below GitHub's secondary limits (80/minute, 500/hour, 100 concurrent) so the
 * suite never trips them. Defaults: one second apart, 80 a minute, 500 an hour, 10 in flight.
 */
public record WritePacing(Duration minInterval, int perMinute, int perHour, int maxInFlight) {

    public static WritePacing defaults() {
        return new WritePacing(Duration.ofSeconds(1), 80, 500, 10);
    }

    /** No pacing beyond the in-flight bound: for tests that are not about pacing. */
    public static WritePacing unpaced() {
        return new WritePacing(Duration.ZERO, Integer.MAX_VALUE, Integer.MAX_VALUE, 10);
    }
}
