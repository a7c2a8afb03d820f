package dev.monkeytown.github.testdouble;

import java.time.Instant;

/** GitHub's words when it refuses a request for a rate limit, in one place for the injected and the earned refusals. */
final class RateLimitAnswers {

    static final String REST_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
    /** The double's token owner, as {@code GET /user} describes it; GitHub names the user by id in these messages. */
    static final long USER_ID = 1;

    private RateLimitAnswers() {
    }

    /** A secondary limit: 403 (or 429) with {@code Retry-After} in seconds, which a skewed clock cannot spoil. */
    static DoubleResponse secondary(int status, long retryAfterSeconds) {
        return DoubleResponse.error(status,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                REST_DOCS + "#about-secondary-rate-limits")
                .withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** A spent primary budget on REST: 403, remaining 0 and the reset time as GitHub's clock says it. */
    static DoubleResponse primaryRest(int limit, Instant reset, String resource, DoubleClock clock) {
        return exhaustedHeaders(DoubleResponse.error(403, "API rate limit exceeded for user ID " + USER_ID + ".",
                REST_DOCS), limit, reset, resource, clock);
    }

    /**
     * A spent primary budget on GraphQL: HTTP 200 with an error of type {@code type} ({@code RATE_LIMITED} as
     * documented, {@code RATE_LIMIT} as GitHub has also been seen to send), remaining 0 in the headers.
     */
    static DoubleResponse primaryGraphQl(String type, int limit, Instant reset, DoubleClock clock) {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
        body.putArray("errors").addObject().put("type", type).put("code", "graphql_rate_limit")
                .put("message", "API rate limit already exceeded for user ID " + USER_ID + ".");
        return exhaustedHeaders(DoubleResponse.of(200, body), limit, reset, "graphql", clock);
    }

    private static DoubleResponse exhaustedHeaders(DoubleResponse response, int limit, Instant reset, String resource,
            DoubleClock clock) {
        return response.withHeader("x-ratelimit-limit", String.valueOf(limit))
                .withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-used", String.valueOf(limit))
                .withHeader("x-ratelimit-reset", String.valueOf(clock.asGitHubSays(reset).getEpochSecond()))
                .withHeader("x-ratelimit-resource", resource);
    }
}
