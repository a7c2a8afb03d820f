package dev.monkeytown.artifact.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.monkeytown.artifact.oci.Digest;

/**
 * Blobs in the local repository's Git LFS object store, laid out as git-lfs lays it out:
 * {@code <git dir>/lfs/objects/ab/cd/abcd...}, spooled in {@code <git dir>/lfs/tmp} (the folder git-lfs itself uses),
 * so {@code git lfs fsck} checks it and a clone with git-lfs could serve it.
 * <p>
 * An object appears only whole: the spool is fsynced, renamed into place atomically, and the folder fsynced. A crash
 * before the rename leaves a temp file (swept at start), never a half object under its id.
 */
public final class LocalLfsStore implements BlobStore {

    private final Path objects;
    private final Path tmp;

    public LocalLfsStore(Path gitDirectory) {
        this.objects = gitDirectory.resolve("lfs").resolve("objects");
        this.tmp = gitDirectory.resolve("lfs").resolve("tmp");
    }

    /** The Git directory of a repository path: {@code <path>/.git} for a work tree, else the path (bare). */
    public static Path gitDirectoryOf(Path repository) {
        Path dotGit = repository.resolve(".git");
        return Files.isDirectory(dotGit) ? dotGit : repository;
    }

    @Override
    public Path spoolDirectory() {
        return tmp;
    }

    public Path objectPath(Digest digest) {
        String hex = digest.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    @Override
    public void put(SpooledBlob blob) throws IOException {
        Path target = objectPath(blob.digest());
        if (Files.exists(target)) {
            Files.deleteIfExists(blob.file());
            return;
        }
        List<Path> created = createFolders(target.getParent());
        try {
            Files.move(blob.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the spool folder " + tmp + " must be on the same file system as " + objects, e);
        }
        fsyncFolder(target.getParent());
        for (Path folder : created) {
            fsyncFolder(folder.getParent());
        }
    }

    private static List<Path> createFolders(Path folder) throws IOException {
        List<Path> created = new ArrayList<>();
        for (Path f = folder; f != null && !Files.isDirectory(f); f = f.getParent()) {
            created.add(0, f);
        }
        Files.createDirectories(folder);
        return created;
    }

    private static void fsyncFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(objectPath(digest));
    }

    @Override
    public BlobContent open(Digest digest, long size, long offset, long length) throws IOException {
        Path file = objectPath(digest);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException("LFS object " + digest.oid() + " is missing from " + objects);
        }
        return new BlobContent.LocalFile(file);
    }

    @Override
    public boolean deletesObjects() {
        return true;
    }

    @Override
    public void delete(Digest digest) throws IOException {
        Path file = objectPath(digest);
        if (Files.deleteIfExists(file)) {
            fsyncFolder(file.getParent());
        }
    }

    @Override
    public List<Digest> objectsStoredBefore(Instant before) throws IOException {
        if (!Files.isDirectory(objects)) {
            return List.of();
        }
        List<Digest> found = new ArrayList<>();
        try (var files = Files.walk(objects, 3)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                var digest = Digest.parse("sha256:" + file.getFileName());
                if (digest.isPresent() && Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    found.add(digest.get());
                }
            }
        }
        return found;
    }

    @Override
    public String describe() {
        return "local LFS store at " + objects;
    }
}
