package dev.monkeytown.state.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

import dev.monkeytown.state.spi.HeadMovedException;

/**
 * The ref file of one branch, moved as Git moves refs: the new id goes into {@code <ref>.lock} (created exclusively,
 * which keeps {@code git} commands out), is fsynced, and the lock file is renamed over the ref; then the ref's folder
 * is fsynced. Written here rather than with JGit's {@code RefUpdate} so that every fsync and rename goes through the
 * {@link Disk}, and read from the file on every call rather than through JGit's ref cache, which trusts file stat to
 * notice another process's update (a 41-byte file renamed into place can get back an inode and a time it had).
 */
final class BranchRef {

    /** A {@code git} command holds a ref lock for milliseconds; how long one is waited for before giving up. */
    private static final Duration FOREIGN_LOCK_GRACE = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(BranchRef.class.getName());

    private final Repository jgit;
    private final String name;
    private final Path refsHeads;
    private final Path file;
    private final Path lockFile;
    /** Names the lock file this library created while it holds one, so a dead writer's lock is told from git's. */
    private final Path ownerMarker;
    private final Disk disk;

    BranchRef(Repository jgit, String name, Disk disk) {
        this.jgit = jgit;
        this.name = name;
        Path gitDirectory = jgit.getDirectory().toPath();
        this.refsHeads = gitDirectory.resolve(Constants.R_HEADS);
        this.file = gitDirectory.resolve(name);
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.ownerMarker = gitDirectory.resolve("monkeytown").resolve("ref-lock-owners").resolve(name);
        this.disk = disk;
    }

    /** The commit the branch points at, or empty if there is no branch. */
    Optional<ObjectId> read() throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            // git pack-refs moves refs into packed-refs, a format JGit knows.
            Ref packed = jgit.getRefDatabase().exactRef(name);
            return packed == null || packed.getObjectId() == null
                    ? Optional.empty()
                    : Optional.of(packed.getObjectId());
        }
        String id = new String(content, StandardCharsets.US_ASCII).strip();
        if (!ObjectId.isId(id)) {
            throw new IOException(file + " does not hold a commit id");
        }
        return Optional.of(ObjectId.fromString(id));
    }

    /**
     * Points the branch at {@code next} if it points at {@code expected} (empty: no branch yet). The caller holds the
     * {@link BranchLock}: no writer of this library can hold {@code <ref>.lock} meanwhile.
     *
     * @throws HeadMovedException the branch points elsewhere; nothing changed
     * @throws NotDurable the branch moved, but syncing its folder failed
     * @throws IOException nothing changed
     */
    void compareAndSwap(Optional<ObjectId> expected, ObjectId next) throws HeadMovedException, IOException {
        disk.createFolders(file.getParent());
        boolean newFile;
        try (FileChannel lock = takeGitLock()) {
            try {
                Optional<ObjectId> current = read();
                if (!current.equals(expected)) {
                    throw new HeadMovedException(name + " points at " + current.map(ObjectId::name).orElse("nothing")
                            + ", expected " + expected.map(ObjectId::name).orElse("no branch"));
                }
                newFile = Files.notExists(file);
                ByteBuffer content = ByteBuffer.wrap((next.name() + "\n").getBytes(StandardCharsets.US_ASCII));
                while (content.hasRemaining()) {
                    lock.write(content);
                }
                disk.force(lock, lockFile);
            } catch (HeadMovedException | IOException | RuntimeException e) {
                releaseGitLock();
                throw e;
            }
        }
        try {
            disk.rename(lockFile, file);
        } catch (IOException | RuntimeException e) {
            releaseGitLock();
            throw e;
        }
        Files.deleteIfExists(ownerMarker);
        IOException failed = null;
        for (int attempt = 0; attempt < SYNC_ATTEMPTS; attempt++) {
            try {
                syncFolders(newFile);
                return;
            } catch (IOException e) {
                failed = e; // a transient error is retried; a disk that keeps failing is reported
            }
        }
        throw new NotDurable(name + " moved to " + next.name() + " but its folder could not be synced", failed);
    }

    /** The ref's folder holds the rename; a new ref file also needs its folders' entries up to {@code refs/heads}. */
    private void syncFolders(boolean newFile) throws IOException {
        for (Path folder = file.getParent(); folder.startsWith(refsHeads); folder = folder.getParent()) {
            disk.syncFolder(folder);
            if (!newFile) {
                return;
            }
        }
    }

    /**
     * Creates {@code <ref>.lock} and records it as ours. Every writer of this library holds the branch's
     * {@link BranchLock} while its lock file exists, and so do we: a lock file already there that the owner marker
     * names was left by a writer of ours that died, and is removed. Any other is a {@code git} command's, normally
     * gone in milliseconds; it is waited for, never removed, since a slow {@code git} can hold one for seconds and
     * deleting it would let two writers move the ref. One that stays is reported as {@code git} itself reports it.
     */
    private FileChannel takeGitLock() throws IOException {
        if (Files.exists(ownerMarker) && Files.notExists(lockFile)) {
            Files.deleteIfExists(ownerMarker); // a writer of ours died after its rename: nothing to clean up
        }
        long deadline = System.nanoTime() + FOREIGN_LOCK_GRACE.toNanos();
        while (true) {
            FileChannel channel;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (leftByDeadWriterOfOurs()) {
                    Files.deleteIfExists(lockFile);
                    Files.deleteIfExists(ownerMarker);
                    LOG.log(System.Logger.Level.WARNING, "removed {0}, left by a writer that died", lockFile);
                } else if (System.nanoTime() < deadline) {
                    pause();
                } else {
                    throw new BranchLock.Busy(lockFile + " exists: a git command is writing " + name
                            + ", or one died; if no git command is running, remove the file");
                }
                continue;
            }
            try {
                markOwned();
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                releaseGitLock();
                throw e;
            }
        }
    }

    /**
     * Written after the lock file is created, naming it by file identity: a crash between the two leaves a lock no
     * marker names, which is then treated as git's, so an operator removes it, as with git. Not fsynced for the same
     * reason: losing the marker to a power cut costs that, never a second writer.
     */
    private void markOwned() throws IOException {
        Files.createDirectories(ownerMarker.getParent());
        Optional<String> identity = identity(lockFile);
        if (identity.isPresent()) {
            Files.writeString(ownerMarker, identity.get());
        }
    }

    private boolean leftByDeadWriterOfOurs() throws IOException {
        Optional<String> recorded;
        try {
            recorded = Optional.of(Files.readString(ownerMarker));
        } catch (NoSuchFileException e) {
            return false;
        }
        return recorded.equals(identity(lockFile));
    }

    private void releaseGitLock() throws IOException {
        Files.deleteIfExists(lockFile);
        Files.deleteIfExists(ownerMarker);
    }

    /**
     * The file's device and inode (not a time: writing the commit id changes it); empty if the file is gone or the
     * file system names no identity, in which case no lock is ever taken for ours.
     */
    private static Optional<String> identity(Path file) throws IOException {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return Optional.ofNullable(key).map(Object::toString);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a ref lock");
        }
    }

    /** The branch moved, and every reader sees it, but it may not survive a power cut. */
    private static final int SYNC_ATTEMPTS = 3;

    static final class NotDurable extends IOException {
        NotDurable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
