package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A Git repository on local disk holding the state branches, e.g. {@code .monkeytown/repo}. It is an ordinary
 * repository ({@code git init} layout), so {@code git log monkeytown/state/<service>} works on it.
 * <p>
 * Durability: a commit is acknowledged only once its objects and its ref are on disk.
 * <ul>
 * <li>Objects: {@link DurableObjectInserter} writes all of a commit's new objects as one pack and its index, fsyncs
 * both, renames them into {@code objects/pack} and fsyncs that folder. {@link PackConsolidator} merges the packs in the
 * background once there are more than {@code maxPacks}.</li>
 * <li>Ref: {@code core.fsyncRefFiles}, read by JGit's {@code WriteConfig}, makes {@code RefDirectoryUpdate} fsync its
 * {@code LockFile} before renaming it over the ref; {@link LocalBranchBackend} then fsyncs the ref's folder so the
 * rename itself survives a power cut.</li>
 * </ul>
 * JGit's own {@code core.fsyncObjectFiles} is turned on too, for any object JGit itself would write. Both are set on
 * the repository object in memory only: in the config file they would make every {@code git} command warn that
 * {@code core.fsyncObjectFiles} is deprecated (the Git CLI fsyncs by its own {@code core.fsync}).
 */
public final class LocalGitRepository implements AutoCloseable {

    /** Read by JGit's {@code WriteConfig}: fsync each loose object before renaming it into place. */
    static final String FSYNC_OBJECT_FILES = "fsyncObjectFiles";
    /** Read by JGit's {@code WriteConfig}: make ref updates fsync their lock file before renaming it over the ref. */
    static final String FSYNC_REF_FILES = "fsyncRefFiles";

    /** Pack fsyncs run beside the writing of their index, for every branch of this repository at once. */
    private static final int FSYNC_THREADS = 8;

    private final Path directory;
    private final Repository repository;
    private final Disk disk;
    private final ExecutorService io;
    private final ExecutorService housekeeping;
    private final PackConsolidator packs;
    private volatile Runnable whileRefLocked = () -> {
    };

    private LocalGitRepository(Path directory, Repository repository, int maxPacks, Disk disk) {
        this.directory = directory;
        this.repository = repository;
        this.disk = disk;
        AtomicInteger count = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(FSYNC_THREADS,
                task -> daemon(task, "state-fsync-" + count.incrementAndGet()));
        this.housekeeping = Executors.newSingleThreadExecutor(task -> daemon(task, "state-packs-" + directory));
        this.packs = new PackConsolidator(repository, io, disk, housekeeping, maxPacks);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Opens the repository at {@code directory} (bare or not), or creates a non-bare one there. */
    public static LocalGitRepository openOrCreate(Path directory) {
        return openOrCreate(directory, false);
    }

    /** Opens the repository at {@code directory} (bare or not), or creates one there, bare if asked. */
    public static LocalGitRepository openOrCreate(Path directory, boolean bareIfCreated) {
        return openOrCreate(directory, bareIfCreated, PackConsolidator.DEFAULT_MAX_PACKS);
    }

    /** As {@link #openOrCreate(Path, boolean)}, merging packs once there are more than {@code maxPacks}. */
    static LocalGitRepository openOrCreate(Path directory, boolean bareIfCreated, int maxPacks) {
        return openOrCreate(directory, bareIfCreated, maxPacks, Disk.system());
    }

    /** As {@link #openOrCreate(Path, boolean, int)}, with every fsync and rename of ours going through {@code disk}. */
    static LocalGitRepository openOrCreate(Path directory, boolean bareIfCreated, int maxPacks, Disk disk) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Repository repository = isRepository(dir.resolve(".git"))
                    ? open(dir.resolve(".git"), dir)
                    : isRepository(dir) ? open(dir, null) : create(dir, bareIfCreated);
            LocalGitRepository opened = new LocalGitRepository(dir, repository, maxPacks, disk);
            opened.requireDurableWrites();
            return opened;
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("cannot open or create a Git repository at " + dir, e);
        }
    }

    /** The directory given when opening: the work tree, or the Git directory of a bare repository. */
    public Path directory() {
        return directory;
    }

    /** A backend for branch {@code monkeytown/state/<service>} of this repository. */
    public LocalBranchBackend branch(String service) {
        return new LocalBranchBackend(this, service);
    }

    Repository jgit() {
        return repository;
    }

    Disk disk() {
        return disk;
    }

    /** Threads for the fsyncs that {@link PackFileWriter} runs in parallel. */
    Executor io() {
        return io;
    }

    PackConsolidator packs() {
        return packs;
    }

    /** Test probe: runs while a commit holds the ref lock, before it writes the ref. */
    void whileRefLocked(Runnable probe) {
        whileRefLocked = probe;
    }

    void refLocked() {
        whileRefLocked.run();
    }

    Path gitDirectory() {
        return repository.getDirectory().toPath();
    }

    /** Reads objects; a read may run twice, so it must have no effect but its result. */
    @FunctionalInterface
    interface ObjectRead<T> {
        T read() throws IOException;
    }

    /**
     * Runs {@code read}, and once more if an object was missing: JGit looks for packs added or merged by another
     * writer only if the pack folder's stat changed, which is not reliable everywhere (NFS attribute caches, coarse
     * timestamps), and a {@link PackConsolidator} in another process may have just moved the object into a new pack.
     * Only a second miss, after every pack in the folder is listed, means the object is not there.
     */
    <T> T read(ObjectRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (MissingObjectException e) {
            listEveryPack();
            return read.read();
        }
    }

    /** Adds every pack of the folder to JGit's pack list, ignoring stat; packs deleted meanwhile JGit drops itself. */
    private void listEveryPack() throws IOException {
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

    @Override
    public void close() {
        housekeeping.shutdown();
        try {
            // A consolidation in flight is safe to abandon, but would keep writing into a folder being deleted.
            housekeeping.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdown();
        repository.close();
    }

    private static boolean isRepository(Path dir) {
        return Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"))
                && Files.isDirectory(dir.resolve("refs"));
    }

    private static Repository open(Path gitDir, Path workTree) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true);
        if (workTree != null) {
            builder.setWorkTree(workTree.toFile());
        }
        return builder.build();
    }

    private static Repository create(Path dir, boolean bare) throws GitAPIException {
        // Two processes may race to create it; init on an existing repository is harmless, like git init.
        try (Git git = Git.init().setDirectory(dir.toFile()).setBare(bare).setInitialBranch("main").call()) {
            Repository repository = git.getRepository();
            repository.incrementOpen();
            return repository;
        }
    }

    /**
     * Turns on JGit's fsyncs for this repository object. Set in memory only: in the config file they would make every
     * {@code git} command warn that {@code core.fsyncObjectFiles} is deprecated. JGit reloads the config when the file
     * changes on disk, which drops in-memory values, so the backend calls this again before every commit.
     */
    void requireDurableWrites() {
        StoredConfig config = repository.getConfig();
        if (!config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, FSYNC_OBJECT_FILES, false)) {
            config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, FSYNC_OBJECT_FILES, true);
        }
        if (!config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, FSYNC_REF_FILES, false)) {
            config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, FSYNC_REF_FILES, true);
        }
    }

    boolean writesAreDurable() {
        StoredConfig config = repository.getConfig();
        return config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, FSYNC_OBJECT_FILES, false)
                && config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, FSYNC_REF_FILES, false);
    }
}
