package dev.monkeytown.github;

import java.time.Duration;

/**
 * Limits on content-creating requests, below GitHub's secondary limits (80/minute, 500/hour, 100 concurrent) so the
 * suite never trips them. Defaults: one second apart, 80 a minute, 500 an hour, 10 in flight.
 * <p>
 * GitHub counts those limits per token, not per process. Processes that share a token each get a {@link #shared share}
 * of the budget, so that together they stay within it; better still, each service gets its own token (or GitHub App
 * installation) and the whole budget.
 */
public record WritePacing(Duration minInterval, int perMinute, int perHour, int maxInFlight) {

    public static WritePacing defaults() {
        return new WritePacing(Duration.ofSeconds(1), 80, 500, 10);
    }

    /** No pacing beyond the in-flight bound: for tests that are not about pacing. */
    public static WritePacing unpaced() {
        return new WritePacing(Duration.ZERO, Integer.MAX_VALUE, Integer.MAX_VALUE, 10);
    }

    /**
     * This process's part of a budget shared by every process using the same token: the per-minute, per-hour and
     * in-flight bounds scaled by {@code share} and rounded down (so the parts never add up to more than the whole),
     * but at least one each. The spacing is kept: it is a politeness towards GitHub, not a count the shares must add up
     * to.
     *
     * @param share in (0, 1]; 1 is the whole budget (the token is this process's alone)
     */
    public WritePacing shared(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a share of a token's budget is in (0, 1], not " + share);
        }
        return new WritePacing(minInterval, part(perMinute, share), part(perHour, share), part(maxInFlight, share));
    }

    private static int part(int whole, double share) {
        if (whole == Integer.MAX_VALUE || share == 1) {
            return whole;
        }
        return Math.max(1, (int) Math.floor(whole * share));
    }
}
