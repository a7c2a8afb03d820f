package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The misbehaviour a test asked the double for: rate-limit windows, outages, slow or lost answers. */
final class FaultPlan {

    /** Whether a write is answered 502, and whether it took effect first. */
    enum WriteFailure {
        NONE, BEFORE_APPLYING, AFTER_APPLYING
    }

    private volatile boolean unavailable;
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger failingWrites = new AtomicInteger();
    private volatile boolean failAfterApplying;
    private volatile RateLimitFault fault;
    private volatile Instant faultUntil = Instant.MIN;

    Instant limit(RateLimitFault fault, Duration window) {
        long endMillis = Instant.now().plus(window).toEpochMilli();
        Instant until = Instant.ofEpochSecond((endMillis + 999) / 1000);
        this.faultUntil = until;
        this.fault = fault;
        return until;
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    void failNextWrites(int count, boolean afterApplying) {
        this.failAfterApplying = afterApplying;
        failingWrites.set(count);
    }

    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    void delay() throws InterruptedException {
        if (!latency.isZero()) {
            Thread.sleep(latency.toMillis());
        }
    }

    WriteFailure writeFailure(boolean write) {
        if (!write || failingWrites.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            return WriteFailure.NONE;
        }
        return failAfterApplying ? WriteFailure.AFTER_APPLYING : WriteFailure.BEFORE_APPLYING;
    }

    /** The answer GitHub gives instead of serving the request: 503 in an outage, or a rate-limit refusal. */
    Optional<DoubleResponse> refusal() {
        if (unavailable) {
            return Optional.of(DoubleResponse.error(503, "Service Unavailable", "https://www.githubstatus.com"));
        }
        Instant now = Instant.now();
        RateLimitFault active = fault;
        if (active != null && now.isBefore(faultUntil)) {
            return Optional.of(rejection(active, now).withHeader("x-double-rejected", "true"));
        }
        return Optional.empty();
    }

    static DoubleResponse serverError() {
        return DoubleResponse.error(502, "Server Error", "https://docs.github.com/rest");
    }

    private DoubleResponse rejection(RateLimitFault active, Instant now) {
        long seconds = Math.max(1, (Duration.between(now, faultUntil).toMillis() + 999) / 1000);
        return switch (active) {
            case SECONDARY_403, SECONDARY_429 -> DoubleResponse.error(active == RateLimitFault.SECONDARY_403 ? 403 : 429,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")
                    .withHeader("Retry-After", String.valueOf(seconds));
            case PRIMARY_EXHAUSTED -> DoubleResponse.error(403, "API rate limit exceeded for user.",
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api")
                    .withHeader("x-ratelimit-limit", String.valueOf(Quota.LIMIT))
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-reset", String.valueOf(faultUntil.getEpochSecond()))
                    .withHeader("x-ratelimit-resource", "core");
        };
    }
}
