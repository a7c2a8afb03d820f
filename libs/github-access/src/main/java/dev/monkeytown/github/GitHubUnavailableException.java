package dev.monkeytown.github;

/**
 * GitHub could not be reached, or kept refusing (outage, rate-limit window), for longer than the caller's bounded wait.
 * The client itself is fine: the next call tries again. Unchecked so it passes through hub4j untouched.
 */
public class GitHubUnavailableException extends RuntimeException {

    private final boolean mayHaveReachedGitHub;

    public GitHubUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public GitHubUnavailableException(String message, Throwable cause, boolean mayHaveReachedGitHub) {
        super(message, cause);
        this.mayHaveReachedGitHub = mayHaveReachedGitHub;
    }

    /**
     * True when a write was sent and its answer lost (e.g. a timeout): GitHub may have applied it, so a caller must
     * find out (read back) before trying again.
     */
    public boolean mayHaveReachedGitHub() {
        return mayHaveReachedGitHub;
    }
}
