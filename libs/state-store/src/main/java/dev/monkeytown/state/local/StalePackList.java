package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.Repository;

/**
 * JGit keeps a list of the packs in {@code objects/pack} and reads it again on a miss only if the folder's stat
 * changed, which is not reliable everywhere (NFS attribute caches, coarse timestamps). Meanwhile another writer may
 * have added packs, or a {@link PackConsolidator} in another process may have moved objects into a new pack and
 * deleted the old ones: a read then misses an object that is there.
 */
final class StalePackList {

    private StalePackList() {
    }

    /** Reads objects; may run twice, so it must have no effect but its result. */
    @FunctionalInterface
    interface ObjectRead<T> {
        T read() throws IOException;
    }

    /**
     * Runs {@code read}, and once more after listing every pack of the folder if an object was missing. Only a second
     * miss means the object is not in the repository.
     */
    static <T> T read(Repository repository, ObjectRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (MissingObjectException e) {
            listEveryPack(repository);
            return read.read();
        }
    }

    /** Adds every pack of the folder to JGit's list, whatever the stat says; JGit drops deleted ones itself. */
    private static void listEveryPack(Repository repository) throws IOException {
        ObjectDirectory objects = (ObjectDirectory) repository.getObjectDatabase();
        Set<String> listed = new HashSet<>();
        objects.getPacks().forEach(pack -> listed.add(pack.getPackFile().getName()));
        try (DirectoryStream<Path> packs = Files.newDirectoryStream(objects.getPackDirectory().toPath(),
                "pack-*.pack")) {
            for (Path pack : packs) {
                String name = pack.getFileName().toString();
                Path index = pack.resolveSibling(name.substring(0, name.length() - ".pack".length()) + ".idx");
                if (!listed.contains(name) && Files.exists(index)) {
                    objects.openPack(pack.toFile());
                }
            }
        } catch (NoSuchFileException e) {
            // no pack folder: nothing to list
        }
    }
}
