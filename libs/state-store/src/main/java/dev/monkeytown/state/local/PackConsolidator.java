package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

/**
 * Keeps the number of packs bounded: every commit adds one, and a read that misses the newest packs walks them all.
 * Once the pack folder holds more than {@code maxPacks} packs, a background thread copies every object of the smaller
 * packs ({@link #smallestPacks}) into one new pack, makes it durable ({@link PackFileWriter}), and only then deletes
 * the packs it copied.
 * <p>
 * Safe against concurrent writers in this or other processes without any coordination, because it decides nothing
 * from reachability: it never touches loose objects nor a pack it did not list before starting, and deletes a listed
 * pack only once each object of that pack's index is in the new, fsynced pack. A pack written meanwhile by a commit is
 * simply not listed. Two consolidators racing each read objects by id (found wherever they are now) and at worst write
 * duplicates. A lock file only keeps them from doing the work twice; one older than {@link #STALE_LOCK_AGE} was left
 * by a process that died, and is taken over.
 * <p>
 * Unreachable objects (from commits that lost a compare-and-swap) are kept; pruning them is left to {@code git gc}.
 */
final class PackConsolidator {

    static final int DEFAULT_MAX_PACKS = 64;
    private static final Duration STALE_LOCK_AGE = Duration.ofMinutes(10);
    private static final String LOCK = "monkeytown-consolidate.lock";
    private static final System.Logger LOG = System.getLogger(PackConsolidator.class.getName());

    private final Repository repository;
    private final Path packDirectory;
    private final Executor io;
    private final Disk disk;
    private final Executor background;
    private final int maxPacks;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger runs = new AtomicInteger();

    PackConsolidator(Repository repository, Executor io, Disk disk, Executor background, int maxPacks) {
        this.repository = repository;
        this.packDirectory = repository.getDirectory().toPath().resolve("objects").resolve("pack");
        this.io = io;
        this.disk = disk;
        this.background = background;
        this.maxPacks = maxPacks;
    }

    /** Called after each commit (so it must not throw): schedules a consolidation if there are too many packs and none is scheduled. */
    void afterCommit() {
        if (scheduled.get()) {
            return;
        }
        try {
            if (packs().size() > maxPacks && scheduled.compareAndSet(false, true)) {
                background.execute(() -> {
                    try {
                        consolidate();
                    } finally {
                        scheduled.set(false);
                    }
                });
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + packDirectory + "; packs not consolidated", e);
        } catch (RejectedExecutionException e) {
            // The repository is closing. Never fail here: the commit has already moved the branch.
            scheduled.set(false);
        }
    }

    /** Consolidations this object completed. */
    int runs() {
        return runs.get();
    }

    void consolidate() {
        Path lock = packDirectory.resolve(LOCK);
        if (!takeLock(lock)) {
            return;
        }
        try {
            List<Path> indexes = smallestPacks(packs());
            if (indexes.size() < 2) {
                return;
            }
            Set<ObjectId> ids = new LinkedHashSet<>();
            for (Path index : indexes) {
                for (Iterator<PackIndex.MutableEntry> it = PackIndex.open(index.toFile()).iterator(); it.hasNext();) {
                    ids.add(it.next().toObjectId());
                }
            }
            Path merged;
            try (ObjectReader reader = repository.newObjectReader();
                    PackFileWriter writer = new PackFileWriter(packDirectory, io, disk, ids.size())) {
                for (ObjectId id : ids) {
                    ObjectLoader object = reader.open(id);
                    writer.add(id, object.getType(), object.getCachedBytes(Integer.MAX_VALUE));
                }
                merged = writer.finish();
            }
            String mergedName = merged.getFileName().toString().replace(".pack", ".idx");
            for (Path index : indexes) {
                if (!index.getFileName().toString().equals(mergedName)) {
                    delete(index);
                }
            }
            runs.incrementAndGet();
            removeAbandonedTempFiles();
        } catch (IOException | RuntimeException e) {
            // Nothing was deleted unless everything was copied; the next commit over the limit tries again.
            LOG.log(System.Logger.Level.WARNING, "consolidating packs in " + packDirectory + " failed", e);
        } finally {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove " + lock, e);
            }
        }
    }

    /**
     * The packs to merge, as {@code git repack --geometric=2} picks them: sorted by size, the large packs that already
     * form a progression where each is at least twice the one below stay as they are, and the rest are merged, so an
     * object is copied about log(commits) times over its life rather than at every consolidation.
     */
    static List<Path> smallestPacks(List<Path> indexes) throws IOException {
        List<Path> sorted = new ArrayList<>(indexes);
        Map<Path, Long> sizes = new HashMap<>();
        for (Path index : sorted) {
            String name = index.getFileName().toString();
            sizes.put(index, Files.size(index.resolveSibling(name.substring(0, name.length() - 4) + ".pack")));
        }
        sorted.sort(Comparator.comparing(sizes::get));
        int split = sorted.size() - 1;
        while (split > 0 && sizes.get(sorted.get(split)) >= 2 * sizes.get(sorted.get(split - 1))) {
            split--;
        }
        // sorted[split] broke the progression (or is the smallest): it is merged with everything below it.
        split++;
        long merged = 0;
        for (int i = 0; i < split; i++) {
            merged += sizes.get(sorted.get(i));
        }
        // The merged pack must itself stay below half of the next pack up.
        while (split < sorted.size() && sizes.get(sorted.get(split)) < 2 * merged) {
            merged += sizes.get(sorted.get(split));
            split++;
        }
        return sorted.subList(0, split);
    }

    /** The {@code .idx} files of the packs in the folder, except packs marked {@code .keep}. */
    private List<Path> packs() throws IOException {
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(packDirectory, "pack-*.idx")) {
            for (Path index : files) {
                String base = index.getFileName().toString();
                base = base.substring(0, base.length() - ".idx".length());
                if (Files.exists(packDirectory.resolve(base + ".pack"))
                        && !Files.exists(packDirectory.resolve(base + ".keep"))) {
                    indexes.add(index);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return indexes;
    }

    /** The pack first, as JGit's GC does; a reader that still finds the index and not the pack rescans the folder. */
    private static void delete(Path index) throws IOException {
        String name = index.getFileName().toString();
        String base = name.substring(0, name.length() - ".idx".length());
        Files.deleteIfExists(index.resolveSibling(base + ".pack"));
        Files.deleteIfExists(index.resolveSibling(base + ".rev"));
        Files.deleteIfExists(index.resolveSibling(base + ".bitmap"));
        Files.deleteIfExists(index);
    }

    /**
     * Temp packs a crashed writer left behind. A commit's live temp pack exists for milliseconds, a consolidation's for
     * at most minutes; deleting one still in use only makes that writer fail before it renamed anything.
     */
    private void removeAbandonedTempFiles() throws IOException {
        Instant before = Instant.now().minus(STALE_LOCK_AGE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(packDirectory, "tmp_{pack,idx}_*")) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                        Files.deleteIfExists(file);
                    }
                } catch (NoSuchFileException e) {
                    // its writer finished or removed it meanwhile
                }
            }
        }
    }

    private boolean takeLock(Path lock) {
        try {
            Files.createFile(lock);
            return true;
        } catch (FileAlreadyExistsException e) {
            try {
                Instant taken = Files.getLastModifiedTime(lock).toInstant();
                if (Duration.between(taken, Instant.now()).compareTo(STALE_LOCK_AGE) > 0) {
                    Files.deleteIfExists(lock);
                }
            } catch (IOException ignored) {
                // another consolidator just finished: its lock is gone
            }
            return false;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot create " + lock, e);
            return false;
        }
    }
}
