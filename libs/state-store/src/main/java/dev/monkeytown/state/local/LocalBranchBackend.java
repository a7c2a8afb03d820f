package dev.monkeytown.state.local;

import java.io.IOException;
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
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/**
 * One state branch of a {@link LocalGitRepository}.
 * <p>
 * A commit writes its objects as one durable pack ({@link DurableObjectInserter}), then, holding the branch's
 * {@link BranchLock} (an OS file lock, shared by every process on this machine), moves the ref if it still points at
 * the head the changes were applied to ({@link BranchRef}, Git's lock-file protocol). So any number of instances, in
 * this JVM or others, can write the same branch: objects are content-addressed and land by atomic rename, and only one
 * ref update runs at a time.
 * <p>
 * The lock is held for the ref update alone. Held across the object writes too, it would let a busy writer take it
 * back before a waiting one, whose head, read before it waited, would then always be stale.
 * <p>
 * A writer stopped while holding the lock (a GC pause, SIGSTOP, a slow disk) keeps it, however long: the others wait
 * for it, up to {@link #LOCK_WAIT} per attempt and then within the engine's own bounded wait, and never break it.
 */
public final class LocalBranchBackend implements BranchBackend {

    /** How long one commit attempt waits for another writer's lock before the engine is told to retry later. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    /** Where creation marks live: outside refs/heads and refs/tags, so no branch or tag list shows them. */
    static final String CREATED = "refs/monkeytown/created/";

    private final LocalGitRepository repository;
    private final String ref;
    private final BranchRef head;
    /** Marks that the branch was created, so its deletion is told apart from a branch never made. */
    private final BranchRef created;
    private BranchLock lock;

    public LocalBranchBackend(LocalGitRepository repository, String service) {
        this.repository = repository;
        this.ref = Constants.R_HEADS + StateBranch.branchFor(service);
        if (!Repository.isValidRefName(ref)) {
            throw new IllegalArgumentException("not a valid branch name: " + StateBranch.branchFor(service));
        }
        this.head = new BranchRef(repository.jgit(), ref, repository.disk());
        this.created = new BranchRef(repository.jgit(), CREATED + ref.substring(Constants.R_HEADS.length()),
                repository.disk());
    }

    @Override
    public String ref() {
        return ref;
    }

    @Override
    public boolean existedBefore() throws BackendException {
        try {
            return created.read().isPresent();
        } catch (IOException e) {
            throw new BackendException("cannot read " + CREATED + ": " + e.getMessage(), e, true);
        }
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        return readRef().map(ObjectId::name);
    }

    private Optional<ObjectId> readRef() throws BackendException {
        try {
            return head.read();
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

    /** The local commit graph answers however far apart the two are, without a limit. */
    @Override
    public Optional<Boolean> isAncestor(String ancestor, String descendant) throws BackendException {
        try (RevWalk walk = new RevWalk(repository.jgit())) {
            return Optional.of(walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)),
                    walk.parseCommit(ObjectId.fromString(descendant))));
        } catch (MissingObjectException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BackendException("cannot relate " + ancestor + " and " + descendant + ": " + e.getMessage(), e,
                    true);
        }
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, AmbiguousCommitException, BackendException {
        Optional<ObjectId> expected = expectedHead.map(ObjectId::fromString);
        // A head that already moved is a lost race: no need to write objects to find out.
        Optional<ObjectId> current = readRef();
        if (!current.equals(expected)) {
            throw new HeadMovedException(ref + " points at " + current.map(ObjectId::name).orElse("nothing")
                    + ", expected " + expectedHead.orElse("no branch"));
        }
        ObjectId commit = writeObjects(expected.orElse(null), puts, deletes, metadata);
        try (BranchLock.Held held = lock().acquire(LOCK_WAIT)) {
            head.compareAndSwap(expected, commit);
            if (expected.isEmpty()) {
                markCreated(commit);
            }
        } catch (BranchLock.Busy e) {
            throw new BackendException(ref + " is being written by another writer: " + e.getMessage(), e, true);
        } catch (BranchRef.NotDurable e) {
            // Readers may already build on it, so it cannot be taken back; but it is not durable, so it must not be
            // acknowledged either: the callers hear "may or may not have been recorded", nothing is re-run.
            throw new BackendException(e.getMessage() + "; the change may or may not have been recorded", e, false);
        } catch (IOException e) {
            throw new BackendException("cannot move " + ref + ": " + e.getMessage(), e, true);
        }
        repository.packs().afterCommit();
        return commit.name();
    }

    /** Best effort: a branch whose mark failed is only less protected against a deletion, nothing else. */
    private void markCreated(ObjectId root) {
        try {
            created.compareAndSwap(Optional.empty(), root);
        } catch (HeadMovedException | IOException e) {
            // marked before (a branch deleted and created again by hand), or the disk refused: the branch stands
        }
    }

    private synchronized BranchLock lock() throws IOException {
        if (lock == null) {
            lock = BranchLock.forFile(repository.branchLockFile(ref));
        }
        return lock;
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

    private static PersonIdent ident(Actor actor, Instant time) {
        return new PersonIdent(actor.name(), actor.email(), time, ZoneOffset.UTC);
    }
}
