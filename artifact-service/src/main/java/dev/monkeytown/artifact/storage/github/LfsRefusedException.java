package dev.monkeytown.artifact.storage.github;

import java.io.IOException;

/**
 * GitHub refused an LFS operation: over its data quota (storage or bandwidth), no room on the server (507), no access,
 * a repository that does not exist. The message is GitHub's, without the token.
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

    /** Over GitHub's data quota (storage or bandwidth, 509): only buying data packs fixes it. */
    public boolean overQuota() {
        return status == 509 || (getMessage() != null && getMessage().contains("quota"));
    }

    /**
     * 507: the LFS server has no capacity to store the objects right now (git-lfs batch.md), a state of the server
     * that may clear, unlike the account's quota.
     */
    public boolean insufficientStorage() {
        return status == 507;
    }
}
