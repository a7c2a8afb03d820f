package dev.monkeytown.github;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What an answer says about GitHub's rate limits: whether GitHub refused a request for rate reasons (so it did not
 * process it and it may be sent again), or has just been given the last of a quota, and for how long nothing more of
 * that resource may be sent.
 * <p>
 * GitHub gives instants ({@code x-ratelimit-reset}, a {@code Retry-After} date) on its own clock. They are turned into
 * durations against the answer's {@code Date} header, GitHub's clock at the time, rather than against the local clock,
 * which may be off by any amount; the local clock is used only when an answer has no {@code Date}.
 *
 * @param resource the rate-limit resource the window applies to ({@code x-ratelimit-resource}, else the request's)
 * @param pause how long nothing of that resource may be sent
 * @param refused true when the request itself was refused (and must be sent again), false when it was served but spent
 *        the last of the quota
 */
record RateLimitAnswer(String resource, Duration pause, boolean refused) {

    /** GitHub's advice when a secondary limit comes without {@code Retry-After}. */
    static final Duration SECONDARY_LIMIT_PAUSE = Duration.ofSeconds(60);

    static Optional<RateLimitAnswer> of(ApiResponse response, String requestResource, boolean graphql) {
        String resource = response.header("x-ratelimit-resource").map(String::trim).orElse(requestResource);
        if (response.status() == 403 || response.status() == 429) {
            Optional<Duration> wait = response.header("Retry-After").map(v -> retryAfter(v.trim(), response))
                    .or(() -> exhausted(response) ? Optional.of(untilReset(response)) : Optional.empty())
                    .or(() -> response.status() == 429 || response.text().contains("secondary rate limit")
                            ? Optional.of(SECONDARY_LIMIT_PAUSE)
                            : Optional.empty());
            return wait.map(w -> new RateLimitAnswer(resource, w, true));
        }
        if (graphql && response.status() == 200 && rateLimitedGraphQl(response)) {
            // GitHub's primary limit for GraphQL is an HTTP 200 whose errors say RATE_LIMITED; nothing was executed
            Duration wait = response.header("Retry-After").map(v -> retryAfter(v.trim(), response))
                    .orElseGet(() -> exhausted(response) ? untilReset(response) : SECONDARY_LIMIT_PAUSE);
            return Optional.of(new RateLimitAnswer(resource, wait, true));
        }
        if (response.isSuccess() && exhausted(response)) {
            // served, but that was the last of the quota: hold the resource until it resets rather than collect refusals
            return Optional.of(new RateLimitAnswer(resource, untilReset(response), false));
        }
        return Optional.empty();
    }

    private static boolean exhausted(ApiResponse response) {
        return response.header("x-ratelimit-remaining").map(String::trim).filter("0"::equals).isPresent()
                && response.header("x-ratelimit-reset").isPresent();
    }

    private static boolean rateLimitedGraphQl(ApiResponse response) {
        try {
            return GraphQlResult.parse(response.body()).outcome() == GraphQlResult.Outcome.RATE_LIMITED;
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static Duration untilReset(ApiResponse response) {
        String reset = response.header("x-ratelimit-reset").orElseThrow().trim();
        try {
            return between(gitHubNow(response), Instant.ofEpochSecond(Long.parseLong(reset)));
        } catch (NumberFormatException unreadable) {
            return SECONDARY_LIMIT_PAUSE;
        }
    }

    /** GitHub sends seconds; HTTP also allows a date, which is read against the answer's own {@code Date}. */
    private static Duration retryAfter(String value, ApiResponse response) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            return httpDate(value).map(at -> between(gitHubNow(response), at)).orElse(SECONDARY_LIMIT_PAUSE);
        }
    }

    /** GitHub's clock when it answered; the local clock only if the answer does not say. */
    private static Instant gitHubNow(ApiResponse response) {
        return response.header("Date").flatMap(RateLimitAnswer::httpDate).orElseGet(Instant::now);
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    private static Duration between(Instant from, Instant to) {
        Duration left = Duration.between(from, to);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
