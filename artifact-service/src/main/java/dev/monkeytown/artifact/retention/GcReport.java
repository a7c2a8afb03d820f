package dev.monkeytown.artifact.retention;

/**
 * One garbage collection: blobs found unlinked (their pointers removed from the branch), objects deleted from the
 * store, and what stays reclaimable: objects waiting out the delay, or on GitHub, every unlinked object, since
 * GitHub's LFS storage cannot delete objects one by one.
 */
public record GcReport(int unlinked, int deleted, long deletedBytes, long reclaimableBytes, boolean storeDeletes,
        String note) {
}
