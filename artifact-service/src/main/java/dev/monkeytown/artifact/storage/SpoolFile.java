package dev.monkeytown.artifact.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;

import dev.monkeytown.artifact.oci.Digest;

/**
 * An upload on its way in: bytes appended to a temporary file while they are hashed, so a blob is never held in
 * memory and its digest is known the moment the last byte lands. Appends are strictly in order (the registry refuses
 * chunks out of order), which is what lets one running SHA-256 cover the whole blob.
 * <p>
 * One writer at a time: a second {@link #append} while one is running is refused ({@link ConcurrentWriteException}),
 * never interleaved. Every byte is reserved in the {@link SpoolBudget} before it is written, and the reservation is
 * given back when the file is discarded, or by whoever consumes the finished {@link SpooledBlob}.
 */
public final class SpoolFile {

    private static final int BUFFER = 256 * 1024;
    private static final String PREFIX = "upload-";

    private final Path path;
    private final long limit;
    private final MessageDigest sha256 = Digest.sha256();
    private final FileChannel channel;
    private final SpoolBudget.Reservation reservation;
    private final AtomicBoolean writing = new AtomicBoolean();
    /** Read without the writer's lock (an upload's status while a chunk streams in). */
    private volatile long size;

    private SpoolFile(Path path, long limit, SpoolBudget.Reservation reservation) throws IOException {
        this.path = path;
        this.limit = limit;
        this.reservation = reservation;
        this.channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** A spool file outside any budget (tools, tests). */
    public static SpoolFile create(Path directory, long limit) throws IOException {
        return create(directory, limit, SpoolBudget.unlimited());
    }

    public static SpoolFile create(Path directory, long limit, SpoolBudget budget) throws IOException {
        Files.createDirectories(directory);
        return new SpoolFile(Files.createTempFile(directory, PREFIX, ".part"), limit, budget.open());
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

    /**
     * Reserves room for {@code more} bytes before any of them is read (a declared {@code Content-Length}): refused
     * with {@link SpoolFullException} when the budget cannot hold them, and then nothing of the spool has changed.
     */
    public void reserveAhead(long more) {
        reservation.ensure(size + more);
    }

    /**
     * Appends all of {@code in}. Past the limit, or past what the spool budget can hold, the spool is discarded (the
     * bytes already in it cannot be taken back out of the running hash) and the caller told.
     */
    public long append(InputStream in) throws IOException, BlobTooLargeException {
        if (!writing.compareAndSet(false, true)) {
            throw new ConcurrentWriteException();
        }
        try {
            byte[] buffer = new byte[BUFFER];
            long written = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (size + n > limit) {
                    discard();
                    throw new BlobTooLargeException(limit);
                }
                try {
                    reservation.ensure(size + n);
                } catch (SpoolFullException e) {
                    discard();
                    throw e;
                }
                sha256.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                size += n;
                written += n;
            }
            reservation.trim(size);
            return written;
        } finally {
            writing.set(false);
        }
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }

    /** Bytes of the spool budget this file holds. */
    public long reserved() {
        return reservation.held();
    }

    /**
     * Flushes the bytes to disk and closes the file: what the store then renames into place is durable. The blob
     * keeps the reservation until it is released.
     */
    public synchronized SpooledBlob finish() throws IOException {
        channel.force(true);
        channel.close();
        return new SpooledBlob(path, Digest.of(sha256), size, reservation);
    }

    /** Deletes the file and gives its reservation back. */
    public synchronized void discard() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing failed; the file still goes
        }
        delete(path);
        reservation.release();
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

    /** Another request is appending to this spool file right now. */
    public static final class ConcurrentWriteException extends IllegalStateException {

        ConcurrentWriteException() {
            super("another request is writing this upload right now");
        }
    }
}
