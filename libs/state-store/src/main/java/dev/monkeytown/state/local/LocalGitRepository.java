package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A Git repository on local disk holding the state branches, e.g. {@code .monkeytown/repo}. It is an ordinary
 * repository ({@code git init} layout), so {@code git log monkeytown/state/<service>} works on it.
 * <p>
 * Durability: a commit is acknowledged only once its objects and its ref are on disk, and every step towards that
 * goes through one {@link Disk}:
 * <ol>
 * <li>objects: {@link DurableObjectInserter} writes all of a commit's new objects as one pack and its index under temp
 * names, fsyncs both, renames them into {@code objects/pack} and fsyncs that folder;</li>
 * <li>ref: {@link BranchRef} writes {@code <ref>.lock}, fsyncs it, renames it over the ref and fsyncs the ref's folder
 * (and the folders above, up to {@code refs/heads}, for a new branch);</li>
 * <li>folders created on the way ({@code objects/pack}, the folders of a new branch) and, when this class creates the
 * repository, its whole skeleton are fsynced along with the folders holding them.</li>
 * </ol>
 * JGit itself writes nothing here but the skeleton of a new repository, so its fsync settings
 * ({@code core.fsyncObjectFiles}, {@code core.fsyncRefFiles}, read by its {@code WriteConfig} whenever it reloads the
 * config) would change nothing and are not set; in the config file the first would also make git 2.39 warn that it
 * is deprecated on every command. {@link PackConsolidator} merges the packs in the background once there are more
 * than {@code maxPacks}.
 */
public final class LocalGitRepository implements AutoCloseable {

    /** Pack fsyncs run beside the writing of their index, for every branch of this repository at once. */
    private static final int FSYNC_THREADS = 8;
    /** Creation is checked and done by one caller of this process at a time. */
    private static final Object CREATING = new Object();

    private final Path directory;
    private final Repository repository;
    private final Disk disk;
    private final ExecutorService io;
    private final ExecutorService housekeeping;
    private final PackConsolidator packs;

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

    /** As {@link #openOrCreate(Path, boolean, int)}, with every fsync and rename going through {@code disk}. */
    static LocalGitRepository openOrCreate(Path directory, boolean bareIfCreated, int maxPacks, Disk disk) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Repository repository;
            // two beans of one service open the same new repository at start (the state branch, the example seed):
            // one of them creates it
            synchronized (CREATING) {
                repository = existing(dir);
                if (repository == null) {
                    repository = create(dir, bareIfCreated, disk);
                }
            }
            return new LocalGitRepository(dir, repository, maxPacks, disk);
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw new IllegalStateException("cannot open or create a Git repository at " + dir, e);
        }
    }

    private static Repository existing(Path dir) throws IOException {
        return isRepository(dir.resolve(".git"))
                ? open(dir.resolve(".git"), dir)
                : isRepository(dir) ? open(dir, null) : null;
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

    Path gitDirectory() {
        return repository.getDirectory().toPath();
    }

    /** The file whose OS lock is the {@link BranchLock} of {@code ref}: outside {@code refs/}, where Git looks. */
    Path branchLockFile(String ref) {
        return gitDirectory().resolve("monkeytown").resolve("branch-locks").resolve(ref);
    }

    /** Runs a read of objects, again if an object was missing ({@link StalePackList}). */
    <T> T read(StalePackList.ObjectRead<T> read) throws IOException {
        return StalePackList.read(repository, read);
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

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while another process creates the repository", e);
        }
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

    private static Repository create(Path dir, boolean bare, Disk disk) throws GitAPIException, IOException {
        Path existing = dir;
        while (!Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        // Two processes may race to create it. Init on an existing repository is harmless, like git init, but two inits
        // at once can trip over each other's folders: then the other one made it, open that.
        Repository repository;
        try (Git git = Git.init().setDirectory(dir.toFile()).setBare(bare).setInitialBranch("main").call()) {
            repository = git.getRepository();
            repository.incrementOpen();
        } catch (JGitInternalException e) {
            for (int attempt = 0; attempt < 50; attempt++) {
                Repository made = existing(dir);
                if (made != null) {
                    return made;
                }
                sleepBriefly();
            }
            throw e;
        }
        syncSkeleton(repository.getDirectory().toPath(), existing, disk);
        return repository;
    }

    /**
     * Makes what {@code git init} wrote durable before anything is written into it: every file and folder of the Git
     * directory, and each folder created above it, up to the one that existed before.
     */
    private static void syncSkeleton(Path gitDir, Path existing, Disk disk) throws IOException {
        List<Path> written;
        try (Stream<Path> walk = Files.walk(gitDir)) {
            written = walk.toList();
        }
        for (Path path : written) {
            if (Files.isDirectory(path)) {
                disk.syncFolder(path);
            } else if (Files.isRegularFile(path)) {
                try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                    disk.force(file, path);
                }
            }
        }
        for (Path folder = gitDir.getParent(); folder != null && folder.startsWith(existing); folder = folder
                .getParent()) {
            disk.syncFolder(folder);
        }
    }
}
