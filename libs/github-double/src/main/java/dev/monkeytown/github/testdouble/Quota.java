package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * GitHub's primary budget for one resource ({@code core}, {@code graphql}, {@code search}, ...): so many requests per
 * window, the window starting with the first request after the last one ended. Reported on every response.
 */
final class Quota {

    private final String resource;
    private int limit;
    private Duration window;
    private Instant reset;
    private int used;

    Quota(String resource, int limit, Duration window) {
        this.resource = resource;
        configure(limit, window);
    }

    /** A new budget, starting now: tests lower it to reach exhaustion in a few requests. */
    synchronized void configure(int limit, Duration window) {
        if (limit < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit must be >= 0 and window positive: " + limit + ", " + window);
        }
        this.limit = limit;
        this.window = window;
        this.reset = wholeSecondAfter(Instant.now().plus(window));
        this.used = 0;
    }

    String resource() {
        return resource;
    }

    synchronized int limit() {
        return limit;
    }

    synchronized Instant reset() {
        rollOver();
        return reset;
    }

    synchronized boolean exhausted() {
        rollOver();
        return used >= limit;
    }

    synchronized void spend() {
        rollOver();
        used++;
    }

    synchronized Map<String, String> headers(DoubleClock clock) {
        rollOver();
        return Map.of("x-ratelimit-limit", String.valueOf(limit), "x-ratelimit-remaining", String.valueOf(remaining()),
                "x-ratelimit-used", String.valueOf(used), "x-ratelimit-reset",
                String.valueOf(clock.asGitHubSays(reset).getEpochSecond()), "x-ratelimit-resource", resource);
    }

    synchronized ObjectNode asJson(DoubleClock clock) {
        rollOver();
        return Json.object().put("limit", limit).put("used", used).put("remaining", remaining())
                .put("reset", clock.asGitHubSays(reset).getEpochSecond());
    }

    private int remaining() {
        return Math.max(0, limit - used);
    }

    private void rollOver() {
        Instant now = Instant.now();
        if (!now.isBefore(reset)) {
            used = 0;
            reset = wholeSecondAfter(now.plus(window));
        }
    }

    /** x-ratelimit-reset says whole seconds; the window ends on one, so a client waiting until then is not early. */
    private static Instant wholeSecondAfter(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0));
    }
}
