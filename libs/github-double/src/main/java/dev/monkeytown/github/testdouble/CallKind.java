package dev.monkeytown.github.testdouble;

/** How GitHub would account a request against the token's budgets. */
public enum CallKind {
    /** A read that costs primary quota. */
    COUNTED_READ,
    /** A conditional read answered 304: free. */
    NOT_MODIFIED,
    /** A content-creating request (REST POST/PATCH/PUT/DELETE or a GraphQL mutation). */
    WRITE,
    /**
     * Refused by a rate limit: one injected by the test, or a primary or secondary limit the client ran into
     * ({@link RecordedRequest#refusal()} says which). Refused requests cost no quota.
     */
    REJECTED,
    /** Answered 503 while the double plays an outage. */
    UNAVAILABLE,
    /**
     * An upload or download of Git LFS object bytes on the storage host an LFS batch answer pointed to: no API quota,
     * not a read or a write in {@link CallLedger.Costs}.
     */
    TRANSFER
}
