package dev.monkeytown.gateway.ratelimit;

/** Monotonic time for the buckets and their expiry; a bean so tests turn it by hand instead of sleeping. */
public interface RateLimitClock {

    long nanoTime();
}
