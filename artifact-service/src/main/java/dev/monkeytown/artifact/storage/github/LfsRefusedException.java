package dev.monkeytown.artifact.storage.github;

import java.io.IOException;

/**
 * GitHub refused an LFS operation for a reason waiting will not fix soon: over its data quota (storage or bandwidth),
 * no access, a repository that does not exist. The message is GitHub's, without the token.
 */
public class LfsRefusedException extends IOException {

    private final int status;

    public LfsRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean overQuota() {
        return status == 507 || status == 509 || (getMessage() != null && getMessage().contains("quota"));
    }
}
