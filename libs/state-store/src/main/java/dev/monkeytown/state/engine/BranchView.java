package dev.monkeytown.state.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.monkeytown.state.Document;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * The in-memory copy of the branch head: its commit, its tree (path to blob id) and the blobs loaded so far. Blobs are
 * cached by id and never revalidated, since a blob id names its content.
 * <p>
 * Every move of the head goes through one lock, so a refresh that read an older head can never overwrite the view of
 * a commit this instance has just made. Readers never take the lock: they read the current {@link Snapshot}.
 */
final class BranchView implements BlobSource {

    /** One head and its tree; immutable. {@code head} is null while the branch does not exist. */
    record Snapshot(String head, NavigableMap<String, String> tree) {

        static final Snapshot MISSING_BRANCH = new Snapshot(null, Collections.emptyNavigableMap());

        Optional<String> headId() {
            return Optional.ofNullable(head);
        }
    }

    private final BranchBackend backend;
    private final ReentrantLock headLock = new ReentrantLock();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;
    private volatile boolean stale = true;

    BranchView(BranchBackend backend) {
        this.backend = backend;
    }

    /**
     * The last snapshot loaded, without any I/O, or null if none was loaded yet. Reads use it even while the backend
     * is unreachable: serving the last known state beats failing.
     */
    Snapshot peek() {
        return snapshot;
    }

    /** For writing: the current snapshot, loading it first if this view never did or was marked stale. */
    Snapshot current() throws BackendException {
        Snapshot loaded = snapshot;
        return loaded != null && !stale ? loaded : reload();
    }

    /** After an ambiguous failure: the next {@link #current()} asks the backend first. */
    void markStale() {
        stale = true;
    }

    /** Asks the backend for the head and reloads the tree only if the head moved. */
    Snapshot reload() throws BackendException {
        headLock.lock();
        try {
            String head = backend.readHead().orElse(null);
            Snapshot known = snapshot;
            if (known == null || !Objects.equals(known.head(), head)) {
                Snapshot loaded = head == null
                        ? Snapshot.MISSING_BRANCH
                        : new Snapshot(head, Collections.unmodifiableNavigableMap(new TreeMap<>(backend.readTree(head))));
                install(loaded);
            }
            stale = false;
            return snapshot;
        } finally {
            headLock.unlock();
        }
    }

    /**
     * Commits edits made against {@code base} and, once the backend returned, makes the result the view. The tree is
     * derived locally: the compare-and-swap guarantees the new head is exactly {@code base} plus these edits.
     */
    String commit(Snapshot base, Map<String, byte[]> puts, Set<String> deletes, CommitMetadata metadata)
            throws HeadMovedException, BackendException {
        headLock.lock();
        try {
            String head = backend.commit(base.headId(), puts, deletes, metadata);
            TreeMap<String, String> tree = new TreeMap<>(base.tree());
            deletes.forEach(tree::remove);
            puts.forEach((path, content) -> {
                String id = GitBlobId.of(content);
                tree.put(path, id);
                blobs.put(id, content);
            });
            install(new Snapshot(head, Collections.unmodifiableNavigableMap(tree)));
            stale = false;
            return head;
        } finally {
            headLock.unlock();
        }
    }

    /** Confirms with the backend that {@code base} is still the head, for changes that wrote nothing. */
    boolean isStillHead(Snapshot base) throws BackendException {
        return Objects.equals(backend.readHead().orElse(null), base.head());
    }

    /** The documents under {@code folder} if all are in memory, else null; never blocks. */
    List<Document> cachedDocuments(Snapshot snapshot, String folder) {
        List<Document> documents = new ArrayList<>();
        for (var entry : under(snapshot, folder).entrySet()) {
            byte[] cached = blobs.get(entry.getValue());
            if (cached == null) {
                return null;
            }
            documents.add(new Document(entry.getKey(), cached.clone()));
        }
        return documents;
    }

    /** The documents under {@code folder}, loading those not in memory. */
    List<Document> documents(Snapshot snapshot, String folder) throws BackendException {
        List<Document> documents = new ArrayList<>();
        for (var entry : under(snapshot, folder).entrySet()) {
            documents.add(new Document(entry.getKey(), blob(entry.getValue()).clone()));
        }
        return documents;
    }

    private static NavigableMap<String, String> under(Snapshot snapshot, String folder) {
        // Every path under "runs/" sorts between "runs/" and "runs0" ('0' follows '/').
        return folder.isEmpty()
                ? snapshot.tree()
                : snapshot.tree().subMap(folder, true, folder.substring(0, folder.length() - 1) + '0', false);
    }

    @Override
    public byte[] cachedBlob(String id) {
        return blobs.get(id);
    }

    @Override
    public byte[] blob(String id) throws BackendException {
        byte[] cached = blobs.get(id);
        if (cached != null) {
            return cached;
        }
        byte[] loaded = backend.readBlob(id);
        blobs.put(id, loaded);
        return loaded;
    }

    private void install(Snapshot next) {
        snapshot = next;
        // Blobs of documents that left the tree are dropped once they outnumber the live ones; a straggling reader of
        // an older snapshot just loads its blob again.
        if (blobs.size() > 2 * next.tree().size() + 64) {
            Set<String> live = new HashSet<>(next.tree().values());
            blobs.keySet().retainAll(live);
        }
    }
}
