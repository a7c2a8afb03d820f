package dev.monkeytown.state.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The right to move one branch, exclusive among every thread and process on this machine: an OS lock on a file of
 * the repository ({@code fcntl} on Linux). The kernel keeps it for a process however long that process is paused (GC,
 * SIGSTOP, a slow disk) and drops it the moment the process dies, so it never has to be broken by age, which is what
 * makes breaking Git's {@code <ref>.lock} safe while holding it ({@link BranchRef}).
 * <p>
 * A JVM can hold one OS lock per file, and closing any channel on the file drops all of the process's locks on it, so
 * every repository object of this JVM shares one channel per lock file, and a fair in-process lock orders their
 * threads. The lock files are never deleted: a deleted one could be locked by one process while another creates and
 * locks its successor.
 */
final class BranchLock {

    private static final ConcurrentHashMap<Path, BranchLock> LOCKS = new ConcurrentHashMap<>();
    private static final long LONGEST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Path file;
    private final ReentrantLock threads = new ReentrantLock(true);
    /** Guarded by {@link #threads}. */
    private FileChannel channel;
    /** The identity of the file {@link #channel} has open; guarded by {@link #threads}. */
    private Object fileKey;

    private BranchLock(Path file) {
        this.file = file;
    }

    /** The lock held through {@code file}, created if missing; one object per file in this JVM. */
    static BranchLock forFile(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // the usual case
        }
        return LOCKS.computeIfAbsent(file.toRealPath(), BranchLock::new);
    }

    /**
     * Takes the lock, waiting at most {@code wait}.
     *
     * @throws Busy another thread or process held it all along
     */
    Held acquire(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            if (!threads.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Busy(file + " was held by another thread for " + wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + file);
        }
        try {
            return new Held(lockFile(deadline, wait));
        } catch (IOException | RuntimeException e) {
            threads.unlock();
            throw e;
        }
    }

    private FileLock lockFile(long deadline, Duration wait) throws IOException {
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            FileLock lock = openChannel().tryLock();
            if (lock != null) {
                if (stillNamesOpenFile()) {
                    return lock;
                }
                // Someone replaced the file (a repository deleted and created again at this path): lock the new one.
                channel.close();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Busy(file + " was held by another process for " + wait);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for " + file);
            }
            pause = Math.min(pause * 2, LONGEST_POLL_NANOS);
        }
    }

    private FileChannel openChannel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            fileKey = fileKey();
        }
        return channel;
    }

    private boolean stillNamesOpenFile() throws IOException {
        try {
            return Objects.equals(fileKey, fileKey());
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    /** The lock, held until closed. */
    final class Held implements AutoCloseable {

        private final FileLock lock;

        private Held(FileLock lock) {
            this.lock = lock;
        }

        /** Never throws: a commit that moved the branch must not be reported as failed for its unlock. */
        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                try {
                    // Closing the channel releases the lock all the same; the next acquire opens a new one.
                    channel.close();
                } catch (IOException ignored) {
                    // the kernel drops the lock with the descriptor
                }
            } finally {
                threads.unlock();
            }
        }
    }

    /** The lock stayed with another holder for the whole wait: waiting longer may help. */
    static final class Busy extends IOException {
        Busy(String message) {
            super(message);
        }
    }
}
