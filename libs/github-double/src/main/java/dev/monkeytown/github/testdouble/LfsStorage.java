package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Git LFS objects the double's repositories hold, on disk (a test pushing a 400 MB blob must not need 400 MB of
 * heap), with GitHub's two LFS quotas: storage (bytes the repository's objects may take) and bandwidth (bytes that may
 * be downloaded). Past either, the batch API answers as GitHub does: 403, "This repository is over its data quota."
 * GitHub has no API to delete one LFS object, and neither has the double. What git-lfs documents beyond that can be
 * switched on per test: actions that expire ({@link #actionLifetime}, {@link #expireNextActions}), rate limiting
 * ({@link #rateLimitNextBatches}, 429 with {@code Retry-After}) and a full server ({@link #insufficientStorage}, 507).
 */
public final class LfsStorage {

    private final Path directory;
    private final Map<String, Map<String, Long>> objects = new ConcurrentHashMap<>();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploadedBytes = new AtomicLong();
    private volatile long storageQuota = Long.MAX_VALUE;
    private volatile long bandwidthQuota = Long.MAX_VALUE;
    private volatile Duration actionLifetime = Duration.ofHours(1);
    private final AtomicInteger expiredActions = new AtomicInteger();
    private final AtomicInteger rateLimitedBatches = new AtomicInteger();
    private volatile Duration rateLimitRetryAfter = Duration.ofSeconds(1);
    private volatile boolean insufficientStorage;

    LfsStorage() {
        try {
            this.directory = Files.createTempDirectory("github-double-lfs");
            directory.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes a repository's LFS objects may take in all (GitHub: 1 GB free, more with data packs). */
    public void storageQuota(long bytes) {
        storageQuota = bytes;
    }

    /** Bytes that may be downloaded in all (GitHub: per month). */
    public void bandwidthQuota(long bytes) {
        bandwidthQuota = bytes;
    }

    /**
     * How long the actions a batch answer hands out stay valid (default an hour, as GitHub's): each carries
     * {@code expires_in} (seconds) and {@code expires_at} (GitHub's clock), and the storage host refuses a transfer
     * after it with 403 "Request has expired or is not authorized".
     */
    public void actionLifetime(Duration lifetime) {
        actionLifetime = lifetime;
    }

    /**
     * The next {@code count} objects given actions get them already expired ({@code expires_in: 0},
     * {@code expires_at} now): a client that uses one anyway is refused by the storage host; one that reads the expiry
     * asks the batch API again.
     */
    public void expireNextActions(int count) {
        expiredActions.set(count);
    }

    /**
     * The next {@code count} batch requests are answered 429 with {@code Retry-After} (whole seconds), as git-lfs
     * documents for a server's rate limit; 0 ends it.
     */
    public void rateLimitNextBatches(int count, Duration retryAfter) {
        rateLimitRetryAfter = retryAfter;
        rateLimitedBatches.set(count);
    }

    /**
     * While on, an upload batch that needs room for new objects is answered 507 (git-lfs: "insufficient storage
     * capacity to complete the request"), GitHub's quota aside.
     */
    public void insufficientStorage(boolean on) {
        insufficientStorage = on;
    }

    Duration actionLifetime() {
        return actionLifetime;
    }

    boolean takeExpiredAction() {
        return expiredActions.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** The wait to answer with, if this batch request is one of the rate-limited ones. */
    Optional<Duration> takeRateLimit() {
        return rateLimitedBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                ? Optional.of(rateLimitRetryAfter)
                : Optional.empty();
    }

    boolean insufficientStorage() {
        return insufficientStorage;
    }

    public boolean has(String repository, String oid) {
        return size(repository, oid).isPresent();
    }

    public Optional<Long> size(String repository, String oid) {
        return Optional.ofNullable(objects.getOrDefault(repository, Map.of()).get(oid));
    }

    public long storedBytes(String repository) {
        return objects.getOrDefault(repository, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    public int objectCount(String repository) {
        return objects.getOrDefault(repository, Map.of()).size();
    }

    /** Bytes received by uploads, duplicates of stored objects included (a client that re-uploads pays here). */
    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    public long downloadedBytes() {
        return downloaded.get();
    }

    boolean wouldExceedStorage(String repository, long moreBytes) {
        return storedBytes(repository) + moreBytes > storageQuota;
    }

    boolean wouldExceedBandwidth(long moreBytes) {
        return downloaded.get() + moreBytes > bandwidthQuota;
    }

    Path file(String repository, String oid) {
        return directory.resolve(repository.replace('/', '_')).resolve(oid);
    }

    Path spool() throws IOException {
        return Files.createTempFile(directory, "upload-", ".part");
    }

    /** Keeps a verified upload; a second upload of the same object changes nothing. */
    void keep(String repository, String oid, long size, Path verified) throws IOException {
        uploadedBytes.addAndGet(size);
        Path target = file(repository, oid);
        Files.createDirectories(target.getParent());
        if (has(repository, oid)) {
            Files.deleteIfExists(verified);
            return;
        }
        Files.move(verified, target, StandardCopyOption.REPLACE_EXISTING);
        objects.computeIfAbsent(repository, r -> new ConcurrentHashMap<>()).put(oid, size);
    }

    void served(long bytes) {
        downloaded.addAndGet(bytes);
    }
}
