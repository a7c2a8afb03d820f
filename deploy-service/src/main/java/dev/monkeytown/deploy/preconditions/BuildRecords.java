package dev.monkeytown.deploy.preconditions;

import java.util.List;
import java.util.Optional;

/** The two questions deploy-service asks build-service. */
public interface BuildRecords {

    /** Succeeded builds of {@code pipeline}, newest first (as far back as the implementation looks). */
    List<BuildRecord> succeeded(String pipeline) throws BuildsUnavailableException;

    Optional<BuildRecord> build(String id) throws BuildsUnavailableException;

    /** build-service could not be asked: nothing is decided, ask again later. */
    final class BuildsUnavailableException extends Exception {

        public BuildsUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
