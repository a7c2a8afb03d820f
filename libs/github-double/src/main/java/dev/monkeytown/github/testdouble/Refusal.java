package dev.monkeytown.github.testdouble;

/** Why the double refused a request instead of serving it, as recorded in the {@link CallLedger}. */
public enum Refusal {
    /** Served (whatever the answer). */
    NONE,
    /**
     * A refusal a test asked for: a {@link GitHubDouble#limit} window, or a GraphQL {@code RATE_LIMITED} answer from
     * {@link GitHubDouble#failNextGraphQl} for a request left unapplied.
     */
    INJECTED,
    /** The token's primary budget for the request's resource ({@code core}, {@code graphql}, ...) was spent. */
    PRIMARY_LIMIT,
    /** A secondary limit of the token: content-creating requests per minute or hour, or requests in flight. */
    SECONDARY_LIMIT
}
