package dev.monkeytown.github.testdouble;

/**
 * Where GitHub cuts large answers short, so a client that ignores {@code truncated} or {@code isTruncated} loses data
 * in tests rather than in production. Defaults are GitHub's; tests lower them to reach the cut with small trees.
 */
final class ContentLimits {

    /** GitHub's documented limit on a recursive tree listing (it also stops at 7 MB, not modelled). */
    static final int GITHUB_RECURSIVE_TREE_ENTRIES = 100_000;
    /** Where GitHub cuts GraphQL {@code Blob.text}, as observed: exactly 512,000 bytes. */
    static final int GITHUB_BLOB_TEXT_BYTES = 512_000;

    private volatile int recursiveTreeEntries = GITHUB_RECURSIVE_TREE_ENTRIES;
    private volatile int blobTextBytes = GITHUB_BLOB_TEXT_BYTES;
    /**
     * GitHub gives up a query that takes longer than 10 s; how much work that is is not documented, so by default
     * nothing times out for its size.
     */
    private volatile long graphQlAnswerBytes = Long.MAX_VALUE;
    private volatile GraphQlFailure graphQlAnswerTooLarge = GraphQlFailure.TIMEOUT;

    int recursiveTreeEntries() {
        return recursiveTreeEntries;
    }

    void recursiveTreeEntries(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("entries must be >= 0: " + entries);
        }
        this.recursiveTreeEntries = entries;
    }

    int blobTextBytes() {
        return blobTextBytes;
    }

    void blobTextBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        this.blobTextBytes = bytes;
    }

    long graphQlAnswerBytes() {
        return graphQlAnswerBytes;
    }

    GraphQlFailure graphQlAnswerTooLarge() {
        return graphQlAnswerTooLarge;
    }

    void graphQlAnswerBytes(long bytes, GraphQlFailure failure) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be >= 1: " + bytes);
        }
        if (failure != GraphQlFailure.TIMEOUT && failure != GraphQlFailure.TIMEOUT_502) {
            throw new IllegalArgumentException("a query too large is given up, not " + failure);
        }
        this.graphQlAnswerBytes = bytes;
        this.graphQlAnswerTooLarge = failure;
    }
}
