package dev.monkeytown.artifact.storage.github;

import java.io.IOException;

/** GitHub's LFS service could not be reached or kept failing within the bounded wait; nothing was promised. */
public class LfsUnavailableException extends IOException {

    public LfsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
