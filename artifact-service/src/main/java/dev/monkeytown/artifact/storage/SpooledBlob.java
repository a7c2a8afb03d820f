package dev.monkeytown.artifact.storage;

import java.nio.file.Path;

import dev.monkeytown.artifact.oci.Digest;

/**
 * A complete upload on disk, flushed, with the digest of its bytes. It still holds its share of the spool budget
 * until {@link #release()}: {@link BlobIntake} gives it back once the file is consumed or deleted.
 */
public record SpooledBlob(Path file, Digest digest, long size, SpoolBudget.Reservation reservation) {

    /** Gives the spool budget back; repeating it does nothing. */
    public void release() {
        reservation.release();
    }
}
