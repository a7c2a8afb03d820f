package dev.monkeytown.artifact.storage;

/**
 * The upload spool has no room left in its budget for these bytes right now: other uploads hold it. Temporary — it
 * clears as they finish, are cancelled or expire — so the client is told to retry later (503 with
 * {@code Retry-After}).
 */
public class SpoolFullException extends RuntimeException {

    /** What the client is told to wait before retrying, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "10";

    public SpoolFullException(long budget, long reserved, long wanted) {
        super("the registry's upload spool is full: " + reserved + " of its " + budget
                + " bytes are held by uploads in progress and " + wanted + " more do not fit; nothing of this request"
                + " was stored, retry later", null, false, false);
    }
}
