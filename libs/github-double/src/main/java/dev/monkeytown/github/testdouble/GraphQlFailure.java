package dev.monkeytown.github.testdouble;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ways GitHub's GraphQL endpoint fails a request while still answering it, armed by
 * {@link GitHubDouble#failNextGraphQl}. Wording as GitHub sends it (checked against client bug reports).
 */
public enum GraphQlFailure {
    /**
     * The primary budget is spent, as documented: HTTP 200,
     * {@code {"errors":[{"type":"RATE_LIMITED","code":"graphql_rate_limit","message":"API rate limit already exceeded for user ID 1."}]}},
     * {@code x-ratelimit-remaining: 0}, {@code x-ratelimit-resource: graphql}.
     */
    RATE_LIMITED,
    /** The same with {@code "type":"RATE_LIMIT"}, which GitHub has also been seen to send (2026). */
    RATE_LIMIT,
    /**
     * GitHub gave up executing the query: HTTP 200, {@code "data": null} and "Something went wrong while executing
     * your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `<request id>` when
     * reporting this issue." (the id is also in {@code X-GitHub-Request-Id}).
     */
    TIMEOUT,
    /** The same body with HTTP 502, as octokit users have recorded it. */
    TIMEOUT_502;

    DoubleResponse answer(Quota graphql, DoubleClock clock) {
        if (this == RATE_LIMITED || this == RATE_LIMIT) {
            return RateLimitAnswers.primaryGraphQl(name(), graphql.limit(), graphql.reset(), clock);
        }
        String requestId = RequestPipeline.requestId();
        ObjectNode body = Json.object();
        body.putNull("data");
        body.putArray("errors").addObject().put("message", "Something went wrong while executing your query. This "
                + "may be the result of a timeout, or it could be a GitHub bug. Please include `" + requestId
                + "` when reporting this issue.");
        return DoubleResponse.of(this == TIMEOUT ? 200 : 502, body).withHeader("X-GitHub-Request-Id", requestId);
    }

    boolean isRateLimit() {
        return this == RATE_LIMITED || this == RATE_LIMIT;
    }
}
