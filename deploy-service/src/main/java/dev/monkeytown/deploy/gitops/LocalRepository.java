package dev.monkeytown.deploy.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
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
 * The local Monkeytown repository (embedded default), read and written with JGit: branch heads and commits, the
 * declaration file at a revision, and the environment branches, where each deployment is one commit moved by
 * compare-and-swap.
 */
public final class LocalRepository implements SourceRepository, AutoCloseable {

    private final Repository repository;

    public LocalRepository(Path directory) throws IOException {
        this.repository = Git.open(directory.toFile()).getRepository();
    }

    @Override
    public Optional<Commit> head(String branch) throws IOException {
        Ref ref = repository.exactRef(Constants.R_HEADS + branch);
        return ref == null || ref.getObjectId() == null ? Optional.empty() : commit(ref.getObjectId());
    }

    @Override
    public Optional<Commit> commit(String sha) throws IOException {
        if (!ObjectId.isId(sha)) {
            return Optional.empty();
        }
        try {
            return commit(ObjectId.fromString(sha));
        } catch (MissingObjectException | IncorrectObjectTypeException | IllegalArgumentException e) {
            return Optional.empty(); // not here, or the id of a tree or a blob: no such commit either way
        }
    }

    @Override
    public String file(String sha, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
            try (TreeWalk file = TreeWalk.forPath(repository, path, commit.getTree())) {
                if (file == null || file.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    return "";
                }
                return new String(repository.open(file.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** A ref update with the expected old id: the local compare-and-swap. */
    @Override
    public Optional<Commit> commitOnto(String branch, Optional<String> expectedHead, String tree, String message,
            Person author, Person committer) throws IOException {
        return commitOnto(branch, expectedHead, tree, message, ident(author), ident(committer));
    }

    public Optional<Commit> commitOnto(String branch, Optional<String> expectedHead, String tree, String message,
            PersonIdent author, PersonIdent committer) throws IOException {
        ObjectId id;
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(ObjectId.fromString(tree));
            expectedHead.map(ObjectId::fromString).ifPresent(commit::setParentId);
            commit.setAuthor(author);
            commit.setCommitter(committer);
            commit.setMessage(message);
            id = inserter.insert(commit);
            inserter.flush();
        }
        RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
        update.setExpectedOldObjectId(expectedHead.map(ObjectId::fromString).orElse(ObjectId.zeroId()));
        update.setNewObjectId(id);
        update.setRefLogMessage("monkeytown: " + message.lines().findFirst().orElse("deploy"), false);
        RefUpdate.Result result = update.update();
        return switch (result) {
            case NEW, FAST_FORWARD -> commit(id);
            case LOCK_FAILURE, REJECTED, REJECTED_CURRENT_BRANCH -> Optional.empty();
            default -> throw new IOException("cannot move " + branch + " to " + id.name() + ": " + result);
        };
    }

    private static PersonIdent ident(Person person) {
        return person(person.name(), person.email());
    }

    public static PersonIdent person(String name, String email) {
        return new PersonIdent(name, email, Instant.now(), ZoneOffset.UTC);
    }

    private Optional<Commit> commit(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(id);
            return Optional.of(new Commit(commit.name(), commit.getTree().name(), commit.getFullMessage()));
        }
    }

    @Override
    public void close() {
        repository.close();
    }
}
