package dev.monkeytown.artifact.storage;

/** A blob past the registry's size limit; nothing of it is kept. */
public class BlobTooLargeException extends Exception {

    private final long limit;

    public BlobTooLargeException(long limit) {
        super("the blob exceeds the registry's limit of " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
