package dev.monkeytown.dispatcher.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * A throw-away clone of the agents' repository for one run. A clone rather than a worktree: the agent may do anything to
 * its checkout (rewrite history, gc, change config), and none of it may reach the repository except the one branch the
 * runner pushes back.
 */
final class ScratchCheckout implements AutoCloseable {

    private final Path directory;
    private final ObjectId base;

    private ScratchCheckout(Path directory, ObjectId base) {
        this.directory = directory;
        this.base = base;
    }

    static ScratchCheckout clone(Path repository, String ref, Path directory) throws GitAPIException, IOException {
        if (Files.exists(directory)) {
            delete(directory); // left over from a runner that died mid-run; its content is worthless now
        }
        Files.createDirectories(directory.getParent());
        try (Git git = Git.cloneRepository()
                .setURI(repository.toAbsolutePath().toUri().toString())
                .setDirectory(directory.toFile())
                .setBranch(ref)
                .call()) {
            ObjectId head = git.getRepository().resolve("HEAD");
            if (head == null) {
                throw new IOException("ref '" + ref + "' not found in " + repository);
            }
            return new ScratchCheckout(directory, head);
        } catch (GitAPIException | IOException | RuntimeException e) {
            delete(directory);
            throw e;
        }
    }

    Path directory() {
        return directory;
    }

    /**
     * Creates the run's branch at the checked-out commit and switches to it, so whatever the agent commits lands there
     * without the agent having to know the branch convention.
     */
    void startBranch(String branch) throws IOException, GitAPIException {
        try (Git git = Git.open(directory.toFile())) {
            git.checkout().setCreateBranch(true).setName(branch).call();
        }
    }

    /** True when the branch exists in the checkout and holds commits the checked-out ref did not have. */
    boolean hasWorkOn(String branch) throws IOException {
        try (Git git = Git.open(directory.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Ref ref = git.getRepository().exactRef("refs/heads/" + branch);
            if (ref == null) {
                return false;
            }
            RevCommit tip = walk.parseCommit(ref.getObjectId());
            RevCommit start = walk.parseCommit(base);
            return !walk.isMergedInto(tip, start);
        }
    }

    /** Pushes the branch to the repository the checkout came from, refusing to overwrite anything already there. */
    void pushBranch(String branch) throws IOException, GitAPIException {
        String ref = "refs/heads/" + branch;
        try (Git git = Git.open(directory.toFile())) {
            Iterable<PushResult> results = git.push().setRemote("origin").setRefSpecs(new RefSpec(ref + ":" + ref)).call();
            for (PushResult result : results) {
                RemoteRefUpdate update = result.getRemoteUpdate(ref);
                if (update == null || update.getStatus() != RemoteRefUpdate.Status.OK) {
                    throw new IOException("push of " + branch + " was not accepted: "
                            + (update == null ? "no update reported" : update.getStatus() + " " + update.getMessage()));
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove scratch checkout " + directory, e);
        }
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // Git writes its object files read-only; on POSIX that does not stop deletion, but be explicit elsewhere.
                file.toFile().setWritable(true);
                deleteIfPresent(file);
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
