package dev.monkeytown.github.testdouble;

/** How GitHub would account a request against the token's budgets. */
public enum CallKind {
    /** A read that costs primary quota. */
    COUNTED_READ,
    /** A conditional read answered 304: free. */
    NOT_MODIFIED,
    /** A content-creating request (REST POST/PATCH/PUT/DELETE or a GraphQL mutation). */
    WRITE,
    /** Answered with a rate-limit rejection (403/429) injected by the test. */
    REJECTED,
    /** Answered 503 while the double plays an outage. */
    UNAVAILABLE
}
