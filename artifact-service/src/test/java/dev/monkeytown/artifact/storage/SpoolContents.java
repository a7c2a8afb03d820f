package dev.monkeytown.artifact.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files in a store's upload spool. Test classes share the spool folder, so a test compares what is there after a
 * request with what was there before it.
 */
public final class SpoolContents {

    private SpoolContents() {
    }

    public static Set<Path> of(BlobStore store) {
        Path folder = store.spoolDirectory();
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The spool files that were not there {@code before}. */
    public static Set<Path> addedSince(BlobStore store, Set<Path> before) {
        Set<Path> added = new HashSet<>(of(store));
        added.removeAll(before);
        return added;
    }
}
