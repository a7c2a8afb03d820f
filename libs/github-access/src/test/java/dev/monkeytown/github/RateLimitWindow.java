package dev.monkeytown.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.monkeytown.github.ScriptedGitHub.Answer;
import dev.monkeytown.github.ScriptedGitHub.Arrival;

/**
 * A rate-limit window as GitHub keeps it, for {@link ScriptedGitHub} scripts: opened by the first request, it ends at
 * a whole second of GitHub's clock (that is all {@code x-ratelimit-reset} can say) at least {@code length} later, and
 * everything arriving before its end is refused with the same answer. Its end is also kept on the local monotonic
 * clock, so tests compare arrivals with it whatever GitHub's clock says.
 */
final class RateLimitWindow {

    private final ScriptedGitHub github;
    private final Duration length;
    private Instant reset;
    private long endNanos;
    private int refused;

    RateLimitWindow(ScriptedGitHub github, Duration length) {
        this.github = github;
        this.length = length;
    }

    /** Whether this arrival falls inside the window, opening it on the first arrival. */
    synchronized boolean refuses(Arrival arrival) {
        if (reset == null) {
            Instant now = github.gitHubNow();
            reset = Instant.ofEpochSecond(now.plus(length).getEpochSecond() + 1);
            endNanos = arrival.nanos() + Duration.between(now, reset).toNanos();
        }
        if (arrival.nanos() - endNanos < 0) {
            refused++;
            return true;
        }
        return false;
    }

    synchronized Instant reset() {
        return reset;
    }

    synchronized long endNanos() {
        return endNanos;
    }

    synchronized int refused() {
        return refused;
    }

    /** GitHub's "primary quota spent" answer for {@code resource}: 403, remaining 0, reset on GitHub's clock. */
    Answer exhausted(String resource) {
        return new Answer(403, Map.of("x-ratelimit-limit", "5000", "x-ratelimit-remaining", "0", "x-ratelimit-reset",
                String.valueOf(reset().getEpochSecond()), "x-ratelimit-resource", resource),
                "{\"message\":\"API rate limit exceeded for user.\"}");
    }

    /** A secondary-limit answer whose {@code Retry-After} is a date on GitHub's clock rather than seconds. */
    Answer retryAfterDate() {
        return new Answer(403, Map.of("Retry-After", ScriptedGitHub.HTTP_DATE.format(reset()),
                "x-ratelimit-resource", "core"),
                "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}");
    }

    /** GitHub's primary limit for GraphQL: HTTP 200 with a {@code RATE_LIMITED} error. */
    Answer graphqlRateLimited() {
        return new Answer(200, Map.of("x-ratelimit-limit", "5000", "x-ratelimit-remaining", "0", "x-ratelimit-reset",
                String.valueOf(reset().getEpochSecond()), "x-ratelimit-resource", "graphql"),
                "{\"errors\":[{\"type\":\"RATE_LIMITED\",\"code\":\"graphql_rate_limit\","
                        + "\"message\":\"API rate limit already exceeded for user ID 1.\"}]}");
    }
}
