package dev.monkeytown.github.testdouble;

/** The ways GitHub tells a client to stop for a while; injected by tests through {@link GitHubDouble#limit}. */
public enum RateLimitFault {
    /** Secondary rate limit: 403 with {@code Retry-After}. */
    SECONDARY_403,
    /** Secondary rate limit: 429 with {@code Retry-After}. */
    SECONDARY_429,
    /** Primary quota spent: 403 with {@code x-ratelimit-remaining: 0} and {@code x-ratelimit-reset}. */
    PRIMARY_EXHAUSTED
}
