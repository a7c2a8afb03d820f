package dev.monkeytown.artifact.storage;

/** Storing the blob would take the registry past its storage quota; nothing was stored. */
public class QuotaExceededException extends Exception {

    public QuotaExceededException(long quota, long used, long size) {
        super("storing " + size + " more bytes would exceed the registry's storage quota of " + quota + " bytes ("
                + used + " used); remove artifacts or run retention", null, false, false);
    }
}
