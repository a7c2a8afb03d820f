package dev.monkeytown.runner.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * One run's scratch directory: a throw-away clone of the repository ({@code checkout/}), the command's {@code HOME}
 * ({@code home/}) and {@code TMPDIR} ({@code tmp/}). A clone rather than a worktree, and a clone with no remote: the
 * command may do anything to its checkout (rewrite history, change its config, plant hooks) and none of it can reach
 * the repository. Only the runner writes there, and only the run's own branch, by fetching it from the checkout into
 * the repository: the checkout's configuration and hooks are never consulted, let alone run, outside the sandbox (a
 * push from the checkout would run its {@code pre-push} hook in the service's own process).
 */
final class ScratchCheckout implements AutoCloseable {

    private final Path scratch;
    private final ObjectId base;

    private ScratchCheckout(Path scratch, ObjectId base) {
        this.scratch = scratch;
        this.base = base;
    }

    /**
     * Clones {@code ref} (a branch or tag) of {@code repository}, that ref alone, into {@code <scratch>/checkout}, and
     * checks out {@code commit} when given, which must be in that ref's history: a run never sees commits of other
     * branches (the state branches live in the same repository).
     */
    static ScratchCheckout create(Path repository, String ref, Optional<String> commit, Path scratch)
            throws GitAPIException, IOException {
        if (Files.exists(scratch)) {
            delete(scratch); // left over from a runner that died mid-run; its content is worthless now
        }
        Files.createDirectories(scratch.resolve("home"));
        Files.createDirectories(scratch.resolve("tmp"));
        try {
            String fullRef = resolveRef(repository, ref);
            if (!fullRef.startsWith(Constants.R_HEADS) && !fullRef.startsWith(Constants.R_TAGS)) {
                return new ScratchCheckout(scratch, fetchPinned(repository, fullRef, scratch.resolve("checkout")));
            }
            try (Git git = Git.cloneRepository()
                    .setURI(repository.toAbsolutePath().toUri().toString())
                    .setDirectory(scratch.resolve("checkout").toFile())
                    .setCloneAllBranches(false)
                    .setBranchesToClone(List.of(fullRef))
                    .setBranch(fullRef)
                    .setNoTags()
                    .call()) {
                ObjectId head = git.getRepository().resolve(Constants.HEAD);
                if (head == null) {
                    throw new IOException("ref '" + ref + "' not found in " + repository);
                }
                if (commit.isPresent()) {
                    head = checkOutCommit(git, head, commit.get(), ref);
                }
                forgetOrigin(git.getRepository());
                return new ScratchCheckout(scratch, head);
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            delete(scratch);
            throw e;
        }
    }

    /**
     * A ref outside branches and tags (a caller's pin of one commit, such as build-service's
     * {@code refs/monkeytown/builds/<run-id>}), which a clone does not fetch: fetched alone into a fresh repository and
     * checked out as branch {@code build}.
     */
    private static ObjectId fetchPinned(Path repository, String fullRef, Path directory)
            throws GitAPIException, IOException {
        try (Git git = Git.init().setDirectory(directory.toFile()).call()) {
            git.fetch().setRemote(repository.toAbsolutePath().toUri().toString())
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("+" + fullRef + ":" + Constants.R_HEADS
                            + "build"))
                    .setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS).call();
            git.checkout().setName("build").call();
            ObjectId head = git.getRepository().resolve(Constants.HEAD);
            if (head == null) {
                throw new IOException("ref '" + fullRef + "' not found in " + repository);
            }
            return head;
        }
    }

    Path directory() {
        return scratch.resolve("checkout");
    }

    Path home() {
        return scratch.resolve("home");
    }

    Path tmp() {
        return scratch.resolve("tmp");
    }

    Path scratch() {
        return scratch;
    }

    /**
     * Creates the run's branch at the checked-out commit and switches to it, so whatever the command commits lands
     * there without the command having to know the branch convention.
     */
    void startBranch(String branch) throws IOException, GitAPIException {
        try (Git git = Git.open(directory().toFile())) {
            git.checkout().setCreateBranch(true).setName(branch).call();
        }
    }

    /** True when the branch exists in the checkout and holds commits the checked-out ref did not have. */
    boolean hasWorkOn(String branch) throws IOException {
        try (Git git = Git.open(directory().toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Ref ref = git.getRepository().exactRef(Constants.R_HEADS + branch);
            if (ref == null) {
                return false;
            }
            RevCommit tip = walk.parseCommit(ref.getObjectId());
            RevCommit start = walk.parseCommit(base);
            return !walk.isMergedInto(tip, start);
        }
    }

    /**
     * Brings the branch into {@code repository} by fetching it from the checkout: only that ref, only as a new branch
     * (an existing one is never overwritten), with every fetched object checked.
     */
    void deliver(String branch, Path repository) throws IOException, GitAPIException {
        String ref = Constants.R_HEADS + branch;
        try (Git target = Git.open(repository.toFile())) {
            if (target.getRepository().exactRef(ref) != null) {
                throw new IOException("branch " + branch + " already exists in the repository; it is not overwritten");
            }
            try (Transport transport = Transport.open(target.getRepository(),
                    new URIish(directory().resolve(Constants.DOT_GIT).toAbsolutePath().toString()))) {
                transport.setCheckFetchedObjects(true);
                FetchResult result = transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec(ref + ":" + ref)));
                TrackingRefUpdate update = result.getTrackingRefUpdate(ref);
                if (update == null || update.getResult() != RefUpdate.Result.NEW) {
                    throw new IOException("branch " + branch + " was not taken: "
                            + (update == null ? "nothing fetched" : update.getResult()));
                }
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        try {
            delete(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove scratch directory " + scratch, e);
        }
    }

    private static ObjectId checkOutCommit(Git git, ObjectId tip, String commit, String ref)
            throws IOException, GitAPIException {
        ObjectId wanted = ObjectId.fromString(commit);
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit target;
            try {
                target = walk.parseCommit(wanted);
            } catch (MissingObjectException | IncorrectObjectTypeException e) {
                throw new IOException("commit " + commit + " is not in the history of " + ref, e);
            }
            if (!walk.isMergedInto(target, walk.parseCommit(tip))) {
                throw new IOException("commit " + commit + " is not in the history of " + ref);
            }
        }
        git.checkout().setName(commit).call(); // detached: the run's branch, if any, starts here
        return wanted;
    }

    private static String resolveRef(Path repository, String ref) throws IOException {
        try (Git source = Git.open(repository.toFile())) {
            Repository repo = source.getRepository();
            for (String candidate : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref, ref)) {
                if (candidate.startsWith(Constants.R_REFS) && repo.exactRef(candidate) != null) {
                    return candidate;
                }
            }
        }
        throw new IOException("ref '" + ref + "' not found in " + repository);
    }

    /** No remote and no upstream: nothing in the checkout points back at the repository. */
    private static void forgetOrigin(Repository repository) throws IOException {
        StoredConfig config = repository.getConfig();
        for (String remote : config.getSubsections(ConfigConstants.CONFIG_REMOTE_SECTION)) {
            config.unsetSection(ConfigConstants.CONFIG_REMOTE_SECTION, remote);
        }
        for (String branch : config.getSubsections(ConfigConstants.CONFIG_BRANCH_SECTION)) {
            config.unsetSection(ConfigConstants.CONFIG_BRANCH_SECTION, branch);
        }
        config.save();
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfPresent(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // a command may leave directories it made unreadable or unwritable; it cannot stop their removal
                dir.toFile().setWritable(true);
                dir.toFile().setReadable(true);
                dir.toFile().setExecutable(true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                deleteIfPresent(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfPresent(Path path) throws IOException {
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            // gone already: fine
        }
    }
}
