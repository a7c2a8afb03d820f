package dev.monkeytown.artifact.upload;

import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.artifact.storage.SpoolFile;

/**
 * One blob upload in progress ({@code /v2/<name>/blobs/uploads/<id>}): its spool file and where it has got to. Held
 * only in this process: an upload does not survive a restart (the client starts it again), which the spec allows.
 */
public final class UploadSession {

    private final String id;
    private final RepositoryName repository;
    private final String user;
    private final SpoolFile spool;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Instant lastActivity;
    private volatile boolean closed;

    UploadSession(String id, RepositoryName repository, String user, SpoolFile spool, Instant now) {
        this.id = id;
        this.repository = repository;
        this.user = user;
        this.spool = spool;
        this.lastActivity = now;
    }

    public String id() {
        return id;
    }

    public RepositoryName repository() {
        return repository;
    }

    public String user() {
        return user;
    }

    public SpoolFile spool() {
        return spool;
    }

    /**
     * One request at a time writes an upload; a second one at the same time is refused rather than interleaved (and
     * the spool file itself refuses a second writer too). Whoever gets the lock checks {@link #closed()} next: the
     * upload may have been finished or cancelled between finding it and locking it.
     */
    public boolean tryLock() {
        return lock.tryLock();
    }

    public void unlock() {
        lock.unlock();
    }

    void touch(Instant now) {
        lastActivity = now;
    }

    Instant lastActivity() {
        return lastActivity;
    }

    /** Finished, cancelled or expired: its URL answers {@code BLOB_UPLOAD_UNKNOWN}. */
    public boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
    }
}
