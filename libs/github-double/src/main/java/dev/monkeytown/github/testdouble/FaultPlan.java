package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The request-wide misbehaviour a test asked for, before any request is looked at: an outage, slow answers, a window
 * in which every request is refused with one of GitHub's rate-limit answers.
 */
final class FaultPlan {

    private volatile boolean unavailable;
    private volatile Duration latency = Duration.ZERO;
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

    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    void delay() throws InterruptedException {
        if (!latency.isZero()) {
            Thread.sleep(latency.toMillis());
        }
    }

    /** The answer GitHub gives instead of serving the request: 503 in an outage, or a rate-limit refusal. */
    Optional<RequestPipeline.Refused> refusal(Quota core, DoubleClock clock) {
        if (unavailable) {
            return Optional.of(new RequestPipeline.Refused(
                    DoubleResponse.error(503, "Service Unavailable", "https://www.githubstatus.com"),
                    CallKind.UNAVAILABLE, Refusal.NONE));
        }
        Instant now = Instant.now();
        RateLimitFault active = fault;
        if (active != null && now.isBefore(faultUntil)) {
            return Optional.of(new RequestPipeline.Refused(rejection(active, now, core, clock), CallKind.REJECTED,
                    Refusal.INJECTED));
        }
        return Optional.empty();
    }

    private DoubleResponse rejection(RateLimitFault active, Instant now, Quota core, DoubleClock clock) {
        long seconds = Math.max(1, (Duration.between(now, faultUntil).toMillis() + 999) / 1000);
        return switch (active) {
            case SECONDARY_403, SECONDARY_429 -> RateLimitAnswers.secondary(
                    active == RateLimitFault.SECONDARY_403 ? 403 : 429, seconds);
            case PRIMARY_EXHAUSTED -> RateLimitAnswers.primaryRest(core.limit(), faultUntil, "core", clock);
        };
    }
}
