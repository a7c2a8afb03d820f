package dev.monkeytown.build.engine;

import java.io.IOException;

/**
 * Outputs that will be refused again however often the attempt is retried: the workflow run made them, and a re-run
 * makes the same (over a size or file-count cap, an artifact name that cannot be a folder, a zip entry leaving its
 * folder). The attempt fails as {@code build}, which the default retry policy does not retry, rather than {@code infra}.
 */
public class OutputRefusedException extends IOException {

    public OutputRefusedException(String message) {
        super(message);
    }
}
