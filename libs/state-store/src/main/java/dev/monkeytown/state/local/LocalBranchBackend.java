package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/**
 * One state branch of a {@link LocalGitRepository}, written with JGit.
 * <p>
 * A commit writes its objects, then moves the ref with a compare-and-swap ({@link RefUpdate} with an expected old id,
 * guarded by Git's {@code <ref>.lock} file), so any number of instances, in this JVM or others, can write the same
 * branch: objects are content-addressed and land by atomic rename, and only one ref update can hold the lock.
 */
public final class LocalBranchBackend implements BranchBackend {

    /** Ref locks live for the milliseconds of one update; one this old was left by a writer that died. */
    public static final Duration DEFAULT_STALE_LOCK_AGE = Duration.ofSeconds(20);
    /** Lock contention shorter than this is a normal race; longer means a slow or dead writer. */
    private static final Duration BUSY_LOCK_AGE = Duration.ofSeconds(1);

    private final LocalGitRepository repository;
    private final String ref;
    private final Duration staleLockAge;

    public LocalBranchBackend(LocalGitRepository repository, String service) {
        this(repository, service, DEFAULT_STALE_LOCK_AGE);
    }

    public LocalBranchBackend(LocalGitRepository repository, String service, Duration staleLockAge) {
        this.repository = repository;
        this.ref = Constants.R_HEADS + StateBranch.branchFor(service);
        this.staleLockAge = staleLockAge;
    }

    @Override
    public String ref() {
        return ref;
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        try {
            Ref current = repository.jgit().exactRef(ref);
            return current == null || current.getObjectId() == null
                    ? Optional.empty()
                    : Optional.of(current.getObjectId().name());
        } catch (IOException e) {
            throw new BackendException("cannot read " + ref + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public Map<String, String> readTree(String commitId) throws BackendException {
        Repository jgit = repository.jgit();
        try {
            return repository.read(() -> {
                try (RevWalk walk = new RevWalk(jgit); TreeWalk tree = new TreeWalk(jgit)) {
                    RevCommit commit = walk.parseCommit(ObjectId.fromString(commitId));
                    tree.addTree(commit.getTree());
                    tree.setRecursive(true);
                    Map<String, String> files = new HashMap<>();
                    while (tree.next()) {
                        if (tree.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
                            files.put(tree.getPathString(), tree.getObjectId(0).name());
                        }
                    }
                    return files;
                }
            });
        } catch (MissingObjectException e) {
            throw new BackendException("commit " + commitId + " is not in " + repository.directory(), e, false);
        } catch (IOException e) {
            throw new BackendException("cannot read commit " + commitId + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public byte[] readBlob(String blobId) throws BackendException {
        try {
            return repository.read(() -> {
                try (ObjectReader reader = repository.jgit().newObjectReader()) {
                    return reader.open(ObjectId.fromString(blobId), Constants.OBJ_BLOB).getBytes(Integer.MAX_VALUE);
                }
            });
        } catch (MissingObjectException e) {
            throw new BackendException("blob " + blobId + " is not in " + repository.directory(), e, false);
        } catch (IOException e) {
            throw new BackendException("cannot read blob " + blobId + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public History history(String head, Optional<String> base, int limit) throws BackendException {
        try {
            return repository.read(() -> walkFirstParents(ObjectId.fromString(head), base, limit));
        } catch (MissingObjectException e) {
            throw new BackendException("commit " + e.getObjectId().name() + " is not in " + repository.directory(), e,
                    false);
        } catch (IOException e) {
            throw new BackendException("cannot walk the history of " + ref + ": " + e.getMessage(), e, true);
        }
    }

    private History walkFirstParents(ObjectId head, Optional<String> base, int limit) throws IOException {
        List<History.Commit> walked = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repository.jgit())) {
            RevCommit commit = walk.parseCommit(head);
            while (commit != null && !Optional.of(commit.name()).equals(base)) {
                if (walked.size() == limit) {
                    return new History(walked, false);
                }
                walked.add(new History.Commit(commit.name(), commit.getFullMessage()));
                commit = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
            }
            return new History(walked, base.isEmpty() || commit != null);
        }
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        ObjectId expected = expectedHead.map(ObjectId::fromString).orElse(null);
        repository.requireDurableWrites();
        ObjectId commit = writeObjects(expected, puts, deletes, metadata);
        moveRef(expected, commit);
        repository.packs().afterCommit();
        return commit.name();
    }

    /** Writes blobs, trees and the commit; all are on disk when this returns. */
    private ObjectId writeObjects(ObjectId parent, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws BackendException {
        try {
            // Nothing reaches the disk before the inserter's flush, after every read: a retry writes nothing twice.
            return repository.read(() -> insertCommit(parent, puts, deletes, metadata));
        } catch (MissingObjectException e) {
            throw new BackendException("commit " + parent.name() + " is not in " + repository.directory(), e, false);
        } catch (IllegalArgumentException e) {
            throw new BackendException(e.getMessage(), e, false);
        } catch (IOException e) {
            throw new BackendException("cannot write objects: " + e.getMessage(), e, true);
        }
    }

    private ObjectId insertCommit(ObjectId parent, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws IOException {
        try (ObjectInserter inserter = new DurableObjectInserter(repository.jgit(), repository.io(), repository.disk());
                ObjectReader reader = repository.jgit().newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            ObjectId baseTree = parent == null ? null : walk.parseCommit(parent).getTree();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(TreeEditor.apply(reader, inserter, baseTree, puts, deletes));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(ident(metadata.author(), metadata.time()));
            commit.setCommitter(ident(metadata.committer(), metadata.time()));
            commit.setMessage(metadata.message().endsWith("\n") ? metadata.message() : metadata.message() + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private void moveRef(ObjectId expected, ObjectId commit) throws HeadMovedException, BackendException {
        RefUpdate.Result result;
        try {
            RefUpdate update = repository.jgit().updateRef(ref);
            update.setExpectedOldObjectId(expected != null ? expected : ObjectId.zeroId());
            update.setNewObjectId(commit);
            // The expected-old-id check is the whole safety net; forcing skips JGit's fast-forward walk.
            update.setForceUpdate(true);
            // History is the audit trail; a reflog would only add a file append and an fsync per commit.
            update.disableRefLog();
            // JGit parses the new object under the lock, after comparing the old id: the probe's moment.
            try (RevWalk probing = new RevWalk(repository.jgit()) {
                @Override
                public RevObject parseAny(AnyObjectId id) throws IOException {
                    repository.refLocked();
                    return super.parseAny(id);
                }
            }) {
                result = update.update(probing);
            }
        } catch (IOException e) {
            throw new BackendException("cannot move " + ref + ": " + e.getMessage(), e, true);
        }
        switch (result) {
            case NEW, FORCED, FAST_FORWARD -> syncRefFolders(result == RefUpdate.Result.NEW);
            case LOCK_FAILURE, REJECTED -> explainLostUpdate(expected);
            case IO_FAILURE -> throw new BackendException("I/O failure moving " + ref, null, true);
            default -> throw new BackendException("JGit refused to move " + ref + ": " + result, null, false);
        }
    }

    /** JGit answers LOCK_FAILURE both when the head moved and when another writer holds the lock. */
    private void explainLostUpdate(ObjectId expected) throws HeadMovedException, BackendException {
        Optional<String> head = readHead();
        if (!head.equals(Optional.ofNullable(expected).map(ObjectId::name))) {
            throw new HeadMovedException(ref + " moved to " + head.orElse("nothing") + ", expected "
                    + (expected == null ? "no branch" : expected.name()));
        }
        Path lock = repository.gitDirectory().resolve(ref + ".lock");
        Duration age;
        try {
            age = Duration.between(Files.getLastModifiedTime(lock).toInstant(), Instant.now());
        } catch (NoSuchFileException e) {
            throw new HeadMovedException(ref + " was locked by another writer");
        } catch (IOException e) {
            throw new BackendException("cannot inspect " + lock + ": " + e.getMessage(), e, true);
        }
        if (age.compareTo(staleLockAge) >= 0) {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                throw new BackendException("cannot remove stale lock " + lock + ": " + e.getMessage(), e, true);
            }
            throw new HeadMovedException("removed " + lock + ", left " + age + " ago by a writer that died");
        }
        if (age.compareTo(BUSY_LOCK_AGE) >= 0) {
            // Not a race we can win by retrying at once: wait like for any unavailable backend.
            throw new BackendException(ref + " has been locked for " + age + " by another writer", null, true);
        }
        throw new HeadMovedException(ref + " is locked by another writer");
    }

    /**
     * JGit fsyncs the ref file but not the folder holding it; without this a power cut could undo the rename that
     * published the commit. Best effort: not every platform can open a folder for fsync. A new branch also created
     * folders, whose entries live in their parents.
     */
    private void syncRefFolders(boolean created) {
        Path refsHeads = repository.gitDirectory().resolve(Constants.R_HEADS);
        Path folder = repository.gitDirectory().resolve(ref).getParent();
        while (folder != null && folder.startsWith(refsHeads)) {
            PackFileWriter.syncFolder(repository.disk(), folder);
            if (!created || folder.equals(refsHeads)) {
                return;
            }
            folder = folder.getParent();
        }
    }

    private static PersonIdent ident(Actor actor, Instant time) {
        return new PersonIdent(actor.name(), actor.email(), time, ZoneOffset.UTC);
    }
}
