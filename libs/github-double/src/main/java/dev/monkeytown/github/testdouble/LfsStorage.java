package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Git LFS objects the double's repositories hold, on disk (a test pushing a 400 MB blob must not need 400 MB of
 * heap), with GitHub's two LFS quotas: storage (bytes the repository's objects may take) and bandwidth (bytes that may
 * be downloaded). Past either, the batch API answers as GitHub does: 403, "This repository is over its data quota."
 * GitHub has no API to delete one LFS object, and neither has the double.
 */
public final class LfsStorage {

    private final Path directory;
    private final Map<String, Map<String, Long>> objects = new ConcurrentHashMap<>();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploadedBytes = new AtomicLong();
    private volatile long storageQuota = Long.MAX_VALUE;
    private volatile long bandwidthQuota = Long.MAX_VALUE;

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
