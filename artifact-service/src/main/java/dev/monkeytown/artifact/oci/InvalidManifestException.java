package dev.monkeytown.artifact.oci;

/** A manifest body this registry will not store, with a reason a client can act on. */
public class InvalidManifestException extends Exception {

    public InvalidManifestException(String message) {
        super(message);
    }
}
