package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The steps that make the local backend's writes durable (fsync of a file, of a folder) and visible (an atomic
 * rename). The backend takes every one of them through here and nowhere else, so a test can record their order, fail
 * one, or stop in one; {@link #system()} does them for real. Errors are never swallowed: a step that fails fails the
 * commit.
 */
interface Disk {

    /** Makes the content (and size) of {@code file}, open as {@code channel}, durable. */
    void force(FileChannel channel, Path file) throws IOException;

    /** Makes the entries of {@code folder} durable: files and folders created, renamed or removed in it. */
    void syncFolder(Path folder) throws IOException;

    /** Atomically puts {@code source} in place of {@code target}; not durable before {@code syncFolder}. */
    void rename(Path source, Path target) throws IOException;

    /**
     * Creates {@code folder} and its missing parents, then syncs the folder above each one created: a folder only
     * survives a power cut once its entry in its parent does. Also syncs when another writer created it meanwhile,
     * since that writer may not have synced yet.
     */
    default void createFolders(Path folder) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path f = folder; f != null && !Files.isDirectory(f); f = f.getParent()) {
            missing.push(f);
        }
        for (Path f : missing) {
            try {
                Files.createDirectory(f);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(f)) {
                    throw e;
                }
            }
        }
        for (Path f : missing) {
            syncFolder(f.getParent());
        }
    }

    static Disk system() {
        return SystemDisk.INSTANCE;
    }

    /** The real thing: {@code fsync(2)} on files and folders, {@code rename(2)}. */
    final class SystemDisk implements Disk {

        private static final SystemDisk INSTANCE = new SystemDisk();

        private SystemDisk() {
        }

        @Override
        public void force(FileChannel channel, Path file) throws IOException {
            channel.force(true);
        }

        /** Linux and macOS can fsync a folder opened for reading; where a platform cannot, commits fail loudly. */
        @Override
        public void syncFolder(Path folder) throws IOException {
            try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }

        @Override
        public void rename(Path source, Path target) throws IOException {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
