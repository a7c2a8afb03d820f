package dev.monkeytown.state.github;

import java.io.IOException;

import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.HttpException;

import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.state.spi.BackendException;

/** Maps the GitHub client's failures onto the SPI: unreachable and 5xx may pass with time, the rest will not. */
final class GitHubCalls {

    @FunctionalInterface
    interface GitHubCall<T> {
        T run() throws IOException;
    }

    private GitHubCalls() {
    }

    /** For reads and for writes that are safe to repeat (content-addressed objects). */
    static <T> T call(String what, GitHubCall<T> call) throws BackendException {
        try {
            return call.run();
        } catch (GitHubUnavailableException e) {
            throw new BackendException(what + ": " + e.getMessage(), e, true);
        } catch (GHFileNotFoundException e) {
            throw new BackendException(what + ": not found on GitHub", e, false);
        } catch (HttpException e) {
            throw new BackendException(what + ": HTTP " + e.getResponseCode(), e, e.getResponseCode() >= 500);
        } catch (IOException e) {
            throw new BackendException(what + ": " + e.getMessage(), e, true);
        }
    }
}
