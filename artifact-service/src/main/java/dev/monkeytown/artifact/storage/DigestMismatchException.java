package dev.monkeytown.artifact.storage;

import dev.monkeytown.artifact.oci.Digest;

/** The uploaded bytes hash to another digest than the client claimed; nothing was stored. */
public class DigestMismatchException extends Exception {

    public DigestMismatchException(Digest claimed, Digest actual) {
        super("the uploaded content has digest " + actual + ", not the claimed " + claimed, null, false, false);
    }
}
