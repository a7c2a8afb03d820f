package dev.monkeytown.state.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Example files a service adds to the embedded suite's default branch, so a new user has something to run at once
 * (agent-dispatcher's agents, build-service's pipelines). Several services seed the same branch and any may start
 * first, so there is one rule for all: seed a branch that does not exist, or one whose whole history is seed commits
 * (authored {@value #SEEDER}) without the seeder's own declaration file yet — never a repository someone has worked in.
 * Seeders take turns through a file lock in the Git directory, and the seed commit goes on top of what is there with a
 * compare-and-swap on the ref, so a concurrent seeder's commit is never lost; a fresh non-bare repository whose HEAD
 * names the branch gets a matching checkout.
 */
public final class ExampleSeed {

    public static final String SEEDER = "Monkeytown";
    /** A repository with more seed commits than this is taken for someone's work. */
    private static final int MOST_SEED_COMMITS = 10;
    private static final int MOST_ATTEMPTS = 5;
    /** Beside git's own files in the Git directory; git ignores it. */
    private static final String LOCK_FILE = "monkeytown-seed.lock";
    /** A file lock is held by the whole JVM: threads of one process take turns here first. */
    private static final Object IN_THIS_PROCESS = new Object();
    /** Seeding takes well under a second; a holder this slow is stuck. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);

    /** One file to seed, with the bytes of a class-path resource. */
    public record ExampleFile(String path, byte[] content, boolean executable) {

        public static ExampleFile resource(Class<?> owner, String path, String resource, boolean executable) {
            try (InputStream in = owner.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("example file " + resource + " missing from the build");
                }
                return new ExampleFile(path, in.readAllBytes(), executable);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final String declarationPath;
    private final List<ExampleFile> files;
    private final String authorEmail;
    private final String message;

    /**
     * @param declarationPath the file whose presence means this seeder's work is done (e.g. {@code .monkeytown/agents.yaml})
     * @param authorEmail who the seed commit says wrote it (its name is always {@value #SEEDER})
     */
    public ExampleSeed(String declarationPath, List<ExampleFile> files, String authorEmail, String message) {
        this.declarationPath = declarationPath;
        this.files = List.copyOf(files);
        this.authorEmail = authorEmail;
        this.message = message;
    }

    /**
     * @return whether the examples were committed (false when the branch is someone's work or already has them)
     * @throws IOException when the branch could not be read or kept being moved by someone else
     */
    public boolean seed(Path repositoryDirectory, String branch) throws IOException {
        try (Git git = Git.open(repositoryDirectory.toFile())) {
            // The suite's services start together and seed the same repository from their own processes: one seeder
            // at a time, so two check-outs never meet on the index lock (one of them would fail its service's start).
            Path lockFile = git.getRepository().getDirectory().toPath().resolve(LOCK_FILE);
            synchronized (IN_THIS_PROCESS) {
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock held = lock(channel, lockFile)) {
                    return seedAlone(git, branch);
                }
            }
        }
    }

    /**
     * Waits a bounded time: a seeder stopped while holding the lock (a paused debugger, SIGSTOP) must fail this start
     * with a reason, not hang it. (A dead holder's lock is released by the operating system.)
     */
    private static FileLock lock(FileChannel channel, Path file) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        for (FileLock lock = channel.tryLock();; lock = channel.tryLock()) {
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("another seeder has held " + file + " for over " + LOCK_WAIT.toSeconds()
                        + " s: is a service stopped while starting?");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + file, e);
            }
        }
    }

    private boolean seedAlone(Git git, String branch) throws IOException {
        Repository repository = git.getRepository();
        String refName = Constants.R_HEADS + branch;
        for (int attempt = 1; attempt <= MOST_ATTEMPTS; attempt++) {
            Ref ref = repository.exactRef(refName);
            ObjectId parent = ref == null ? null : ref.getObjectId();
            if (parent != null && (!onlySeedCommits(repository, parent) || has(repository, parent))) {
                return false;
            }
            RefUpdate update = repository.updateRef(refName);
            update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
            update.setNewObjectId(commit(repository, parent));
            update.setRefLogMessage("monkeytown: " + message.lines().findFirst().orElse("seed"), false);
            RefUpdate.Result result = update.update();
            if (result == RefUpdate.Result.NEW || result == RefUpdate.Result.FAST_FORWARD) {
                fillWorkTree(git, refName);
                return true;
            }
            // someone outside the suite (a git command) moved or locked the branch meanwhile: look again shortly
            pause(attempt);
        }
        throw new IOException("could not seed " + refName + ": it kept moving or stayed locked");
    }

    private static void pause(int attempt) throws IOException {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while seeding", e);
        }
    }

    private static boolean onlySeedCommits(Repository repository, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.markStart(walk.parseCommit(head));
            int seen = 0;
            for (RevCommit commit : walk) {
                if (!SEEDER.equals(commit.getAuthorIdent().getName()) || ++seen > MOST_SEED_COMMITS) {
                    return false;
                }
            }
            return true;
        }
    }

    private boolean has(Repository repository, ObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(repository);
                TreeWalk file = TreeWalk.forPath(repository, declarationPath, walk.parseCommit(head).getTree())) {
            return file != null;
        }
    }

    /** The parent's tree with the example files put in (replacing same paths). */
    private ObjectId commit(Repository repository, ObjectId parent) throws IOException {
        try (ObjectInserter inserter = repository.newObjectInserter(); RevWalk walk = new RevWalk(repository)) {
            Map<String, DirCacheEntry> entries = new TreeMap<>();
            if (parent != null) {
                try (TreeWalk existing = new TreeWalk(repository)) {
                    existing.addTree(walk.parseCommit(parent).getTree());
                    existing.setRecursive(true);
                    while (existing.next()) {
                        DirCacheEntry entry = new DirCacheEntry(existing.getPathString());
                        entry.setFileMode(existing.getFileMode(0));
                        entry.setObjectId(existing.getObjectId(0));
                        entries.put(existing.getPathString(), entry);
                    }
                }
            }
            for (ExampleFile file : files) {
                DirCacheEntry entry = new DirCacheEntry(file.path());
                entry.setFileMode(file.executable() ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
                entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.content()));
                entries.put(file.path(), entry);
            }
            DirCache tree = DirCache.newInCore();
            DirCacheBuilder builder = tree.builder();
            entries.values().forEach(builder::add);
            builder.finish();
            PersonIdent author = new PersonIdent(SEEDER, authorEmail, Instant.now(), ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    /** A fresh non-bare repository whose HEAD names the branch gets a matching checkout, so `git status` is clean. */
    private static void fillWorkTree(Git git, String refName) throws IOException {
        Repository repository = git.getRepository();
        Ref head = repository.exactRef(Constants.HEAD);
        if (repository.isBare() || head == null || !head.isSymbolic() || !head.getTarget().getName().equals(refName)) {
            return;
        }
        try {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(refName).call();
        } catch (GitAPIException e) {
            throw new IOException("seeded " + refName + " but could not check it out", e);
        }
    }
}
