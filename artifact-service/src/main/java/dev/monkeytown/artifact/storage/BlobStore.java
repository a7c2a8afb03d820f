package dev.monkeytown.artifact.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.monkeytown.artifact.oci.Digest;

/**
 * Where blob bytes live, addressed by digest (= Git LFS object id). The registry's records say which blobs exist; the
 * store only holds bytes. Narrow on purpose: the two backends are the local repository's LFS object folder and the
 * Git LFS batch API of the Monkeytown repository on GitHub.
 */
public interface BlobStore {

    /** Where uploads spool before {@link #put}: on the store's own file system locally, so the move is a rename. */
    Path spoolDirectory();

    /** Stores a spooled, verified blob; the spool file is consumed. Storing an object the store has costs nothing. */
    void put(SpooledBlob blob) throws IOException;

    /** The bytes {@code [offset, offset + length)} of a stored blob of {@code size} bytes. */
    BlobContent open(Digest digest, long size, long offset, long length) throws IOException;

    /** Whether objects can be deleted one by one (GitHub's LFS storage cannot). */
    boolean deletesObjects();

    /** Deletes a stored object; only where {@link #deletesObjects()}. */
    void delete(Digest digest) throws IOException;

    /**
     * Objects stored before {@code before}, for finding ones no record names (a crash between storing and recording).
     * Empty where the store cannot list (GitHub's LFS API has no listing).
     */
    List<Digest> objectsStoredBefore(Instant before) throws IOException;

    /** For logs and reports: {@code local LFS store at ...}, {@code GitHub LFS of owner/name}. */
    String describe();
}
