package dev.monkeytown.github;

import java.io.IOException;

/** GitHub answered, but not with success (a 4xx other than rate limits, or a GraphQL transport error). */
public class GitHubApiException extends IOException {

    private final int status;

    public GitHubApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
