package dev.monkeytown.state.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.monkeytown.state.Document;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/**
 * The in-memory copy of the branch head: its commit and its {@link TreeIndex}, plus the branch's {@link ObjectCache}.
 * <p>
 * No lock is ever held across backend I/O. The snapshot is swapped with compare-and-set, and only forward: a refresh
 * installs a head only if {@link HeadWatch} judged it a descendant of the one held, and our own commit is installed
 * only over its base. So a lagging read never undoes a commit this replica has acknowledged (read-your-writes), and
 * readers, refreshes and the committer never wait for each other.
 */
final class BranchView implements BlobSource {

    /** One head and its tree; immutable. {@code head} is null while the branch does not exist. */
    record Snapshot(String head, TreeIndex tree) {

        static final Snapshot MISSING_BRANCH = new Snapshot(null, TreeIndex.EMPTY);

        Optional<String> headId() {
            return Optional.ofNullable(head);
        }
    }

    /** The last time the backend answered and the last time it did not, for readiness. */
    record Contact(Instant lastAnswer, Instant lastFailure, String lastFailureReason) {

        static final Contact NEVER = new Contact(null, null, null);
    }

    private final BranchBackend backend;
    private final ObjectCache blobs;
    private final HeadWatch heads;
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final AtomicReference<Contact> contact = new AtomicReference<>(Contact.NEVER);
    private volatile boolean stale = true;

    BranchView(BranchBackend backend, ObjectCache blobs, HeadWatch heads, Clock clock) {
        this.backend = backend;
        this.blobs = blobs;
        this.heads = heads;
        this.clock = clock;
    }

    /**
     * The last snapshot loaded, without any I/O, or null if none was loaded yet. Reads use it even while the backend
     * is unreachable: serving the last known state beats failing.
     */
    Snapshot peek() {
        return snapshot.get();
    }

    /**
     * For writing: the current snapshot, asking the backend first if this view never did or was marked stale. While
     * the backend shows an older head or no branch (a lagging replica, or a loss being confirmed), there is nothing
     * safe to write on: a retryable failure makes the engine wait.
     */
    Snapshot current() throws BackendException {
        Snapshot loaded = snapshot.get();
        if (loaded != null && !stale) {
            return loaded;
        }
        Refreshed refreshed = load();
        if (refreshed.verdict() == HeadWatch.Verdict.LAGGING) {
            throw new BackendException("the backend does not show the head " + refreshed.snapshot().head()
                    + " yet; waiting to tell a lagging replica from a lost branch", null, true);
        }
        return refreshed.snapshot();
    }

    /** After a conflict or an ambiguous failure: the next {@link #current()} asks the backend first. */
    void markStale() {
        stale = true;
    }

    Optional<BranchAlarm> alarm() {
        return heads.alarm();
    }

    Contact contact() {
        return contact.get();
    }

    /** Reads the head and moves the view forward to it if it is newer; returns the view afterwards. */
    Snapshot refresh() throws BackendException {
        return load().snapshot();
    }

    private record Refreshed(Snapshot snapshot, HeadWatch.Verdict verdict) {
    }

    private Refreshed load() throws BackendException {
        Optional<String> shown = answeredRead(backend::readHead);
        while (true) {
            Snapshot known = snapshot.get();
            HeadWatch.Verdict verdict = heads.judge(known == null ? null : known.head(), shown);
            Snapshot next = switch (verdict) {
                // a view that never loaded anything and a branch that does not exist agree: an empty branch
                case SAME, LAGGING -> known != null ? known : Snapshot.MISSING_BRANCH;
                case NO_BRANCH_YET -> Snapshot.MISSING_BRANCH;
                case NEWER -> new Snapshot(shown.orElseThrow(),
                        TreeIndex.of(answeredRead(() -> backend.readTree(shown.orElseThrow()))));
            };
            if (next == known || snapshot.compareAndSet(known, next)) {
                if (verdict != HeadWatch.Verdict.LAGGING) {
                    heads.installed(next.head());
                    stale = false;
                }
                return new Refreshed(next, verdict);
            }
            // our own commit was installed meanwhile: judge the read again against it
        }
    }

    /**
     * Commits edits made against {@code base} (no lock held while the backend works) and installs the result. The
     * tree is derived locally: the compare-and-swap guarantees the new head is exactly {@code base} plus these edits.
     */
    String commit(Snapshot base, Map<String, byte[]> puts, Set<String> deletes, CommitMetadata metadata)
            throws HeadMovedException, BackendException {
        String head = answered(() -> backend.commit(base.headId(), puts, deletes, metadata));
        installOwn(base, head, puts, deletes);
        return head;
    }

    /**
     * Installs our commit {@code head} made on {@code base} — also one found landed after its answer was lost. If the
     * view moved on meanwhile, it can only have moved to this commit or past it (the branch went from base to ours),
     * so it is left alone.
     */
    void installOwn(Snapshot base, String head, Map<String, byte[]> puts, Set<String> deletes) {
        Map<String, String> ids = new LinkedHashMap<>();
        puts.forEach((path, content) -> {
            String id = GitBlobId.of(content);
            ids.put(path, id);
            blobs.put(id, content);
        });
        Snapshot ours = new Snapshot(head, base.tree().with(ids, deletes));
        while (true) {
            Snapshot known = snapshot.get();
            boolean onBase = known == null || Objects.equals(known.head(), base.head());
            if (!onBase) {
                return;
            }
            if (snapshot.compareAndSet(known, ours)) {
                heads.installed(head);
                stale = false;
                return;
            }
        }
    }

    /** The head as the backend answers now, without judging or installing it (settling a lost commit). */
    Optional<String> readHeadNow() throws BackendException {
        return answeredRead(backend::readHead);
    }

    History historyNow(String head, Optional<String> base, int limit) throws BackendException {
        return answeredRead(() -> backend.history(head, base, limit));
    }

    Optional<Boolean> isAncestorNow(String ancestor, String descendant) throws BackendException {
        return answeredRead(() -> backend.isAncestor(ancestor, descendant));
    }

    /** Confirms with the backend that {@code base} is still the head, for changes that wrote nothing. */
    boolean isStillHead(Snapshot base) throws BackendException {
        return answeredRead(backend::readHead).equals(base.headId());
    }

    /** The documents under {@code folders} if all are in memory, else null; never blocks. */
    List<Document> cachedDocuments(Snapshot snapshot, Collection<String> folders) {
        List<Document> documents = new ArrayList<>();
        for (Map.Entry<String, String> entry : entriesUnder(snapshot, folders).entrySet()) {
            byte[] cached = blobs.get(entry.getValue());
            if (cached == null) {
                return null;
            }
            documents.add(new Document(entry.getKey(), cached.clone()));
        }
        return documents;
    }

    /** The documents under {@code folders}, loading the missing ones in one bulk read. */
    List<Document> documents(Snapshot snapshot, Collection<String> folders) throws BackendException {
        Map<String, String> entries = entriesUnder(snapshot, folders);
        Set<String> missing = new LinkedHashSet<>();
        Map<String, byte[]> found = new LinkedHashMap<>();
        for (String id : entries.values()) {
            byte[] cached = blobs.get(id);
            if (cached != null) {
                found.put(id, cached);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, byte[]> loaded = answeredRead(() -> backend.readBlobs(missing));
            for (String id : missing) {
                byte[] content = loaded.get(id);
                if (content == null) {
                    throw new BackendException("the backend did not return blob " + id, null, true);
                }
                blobs.put(id, content);
                found.put(id, content);
            }
        }
        List<Document> documents = new ArrayList<>(entries.size());
        entries.forEach((path, id) -> documents.add(new Document(path, found.get(id).clone())));
        return documents;
    }

    /** Path to blob id under any of {@code folders}, in path order, each document once. */
    private static Map<String, String> entriesUnder(Snapshot snapshot, Collection<String> folders) {
        TreeMap<String, String> entries = new TreeMap<>();
        for (String folder : folders) {
            snapshot.tree().forEachUnder(folder, entries::put);
        }
        return entries;
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
        byte[] loaded = answeredRead(() -> backend.readBlob(id));
        blobs.put(id, loaded);
        return loaded;
    }

    long cachedBytes() {
        return blobs.weightedSize();
    }

    @FunctionalInterface
    private interface BackendCall<T> {
        T call() throws BackendException, HeadMovedException;
    }

    /** Runs a backend call and notes whether the backend answered: readiness reports from this. */
    private <T> T answered(BackendCall<T> call) throws BackendException, HeadMovedException {
        try {
            T result = call.call();
            contact.updateAndGet(c -> new Contact(clock.instant(), c.lastFailure(), c.lastFailureReason()));
            return result;
        } catch (HeadMovedException e) {
            // a lost race is an answer, and a healthy one
            contact.updateAndGet(c -> new Contact(clock.instant(), c.lastFailure(), c.lastFailureReason()));
            throw e;
        } catch (BackendException e) {
            contact.updateAndGet(c -> new Contact(c.lastAnswer(), clock.instant(), e.getMessage()));
            throw e;
        }
    }

    private <T> T answeredRead(ReadCall<T> call) throws BackendException {
        try {
            return answered((BackendCall<T>) call::call);
        } catch (HeadMovedException e) {
            throw new IllegalStateException("a read cannot lose a race", e);
        }
    }

    @FunctionalInterface
    private interface ReadCall<T> {
        T call() throws BackendException;
    }
}
