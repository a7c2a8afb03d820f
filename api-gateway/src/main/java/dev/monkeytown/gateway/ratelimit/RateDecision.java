package dev.monkeytown.gateway.ratelimit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.bucket4j.ConsumptionProbe;

/**
 * The limiter's answer for one request, and the headers that tell the client (IETF httpapi ratelimit-headers draft):
 * every policy that applied in {@code RateLimit-Policy}, the most restrictive one's state in {@code RateLimit}.
 *
 * @param reported the policy in {@code RateLimit}: the one that refused, or the one with the fewest tokens left
 * @param remaining tokens left in that policy's bucket
 * @param secondsUntilFull until that bucket is full again, the draft's {@code t} (its "reset")
 * @param retryAfterSeconds when refused, until a token is back; 0 when allowed
 */
record RateDecision(boolean allowed, List<Quota> policies, Quota reported, long remaining, long secondsUntilFull,
        long retryAfterSeconds) {

    static RateDecision allowed(List<Quota> policies, Quota reported, ConsumptionProbe probe) {
        return new RateDecision(true, policies, reported, probe.getRemainingTokens(),
                ceilSeconds(probe.getNanosToWaitForReset()), 0);
    }

    static RateDecision refused(List<Quota> policies, Quota reported, ConsumptionProbe probe) {
        return new RateDecision(false, policies, reported, probe.getRemainingTokens(),
                ceilSeconds(probe.getNanosToWaitForReset()), Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
    }

    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Policy", policies.stream().map(Quota::policyHeaderItem).collect(Collectors.joining(", ")));
        headers.put("RateLimit", "\"" + reported.name() + "\";r=" + remaining + ";t=" + secondsUntilFull);
        if (!allowed) {
            headers.put("Retry-After", Long.toString(retryAfterSeconds));
        }
        return headers;
    }

    static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
