package dev.monkeytown.artifact.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

import io.quarkus.logging.Log;

import dev.monkeytown.artifact.oci.Digest;

/**
 * An upload on its way in: bytes appended to a temporary file while they are hashed, so a blob is never held in
 * memory and its digest is known the moment the last byte lands. Appends are strictly in order (the registry refuses
 * chunks out of order), which is what lets one running SHA-256 cover the whole blob.
 */
public final class SpoolFile {

    private static final int BUFFER = 256 * 1024;
    private static final String PREFIX = "upload-";

    private final Path path;
    private final long limit;
    private final MessageDigest sha256 = Digest.sha256();
    private final FileChannel channel;
    private long size;

    private SpoolFile(Path path, long limit) throws IOException {
        this.path = path;
        this.limit = limit;
        this.channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public static SpoolFile create(Path directory, long limit) throws IOException {
        Files.createDirectories(directory);
        return new SpoolFile(Files.createTempFile(directory, PREFIX, ".part"), limit);
    }

    /** Deletes the spool files in {@code directory} that a process which died mid-upload left there (at start). */
    public static void sweep(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(PREFIX)).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Appends all of {@code in}; past the limit the spool is discarded and the caller told. */
    public synchronized long append(InputStream in) throws IOException, BlobTooLargeException {
        byte[] buffer = new byte[BUFFER];
        long written = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (size + n > limit) {
                discard();
                throw new BlobTooLargeException(limit);
            }
            sha256.update(buffer, 0, n);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
            size += n;
            written += n;
        }
        return written;
    }

    public synchronized long size() {
        return size;
    }

    public long limit() {
        return limit;
    }

    /** The digest of everything appended so far (the running hash is not disturbed). */
    public synchronized Digest digestSoFar() {
        try {
            return Digest.of((MessageDigest) sha256.clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable on every JVM", e);
        }
    }

    /** Flushes the bytes to disk and closes the file: what the store then renames into place is durable. */
    public synchronized SpooledBlob finish() throws IOException {
        channel.force(true);
        channel.close();
        return new SpooledBlob(path, Digest.of(sha256), size);
    }

    public synchronized void discard() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing failed; the file still goes
        }
        delete(path);
    }

    /**
     * Deletes a spool file if it is still there. Quiet, because it runs on the way out of a failure whose own
     * exception is the one to report; a file that cannot be deleted is logged and swept at the next start.
     */
    public static void delete(Path spooled) {
        try {
            Files.deleteIfExists(spooled);
        } catch (IOException e) {
            Log.warnf("Spool file %s not deleted, the next start sweeps it: %s", spooled, e.toString());
        }
    }

    public Path path() {
        return path;
    }
}
