package dev.monkeytown.artifact.catalog;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.StateUnavailableException;

/**
 * The registry's records in memory, loaded from the state branch once at start (one bulk read) and kept current by
 * re-reading exactly the paths each of our own commits touched. This service is its branch's single writer, so
 * nothing else moves it; re-reading after the commit (rather than patching from what a change function computed)
 * keeps the catalog equal to the branch even when commits are acknowledged out of order.
 */
@Singleton
public class Catalog {

    private static final Duration READ_WAIT = Duration.ofSeconds(60);

    private final StateBranch branch;
    private final Map<RepositoryName, RepositoryEntry> repositories = new ConcurrentSkipListMap<>();
    private final Map<Digest, Long> pointers = new ConcurrentHashMap<>();
    private final Map<Digest, GcMark> gcMarks = new ConcurrentHashMap<>();
    private final Map<String, DeploymentReferences> deployments = new ConcurrentHashMap<>();
    /** Records on the branch that do not parse: path → why. Skipped, named in the log and in readiness. */
    private final Map<String, String> unreadable = new ConcurrentSkipListMap<>();
    private volatile boolean loaded;
    /** Bumped whenever a commit's outcome is unknown; a full load clears the marks it saw when it started. */
    private final AtomicLong staleMarks = new AtomicLong();
    private volatile long clearedUpTo;

    Catalog(StateBranch branch) {
        this.branch = branch;
    }

    /** Reads every record (not the manifest bytes) in one bulk listing, waiting at most {@code wait}. */
    public synchronized void load(Duration wait) {
        long marks = staleMarks.get();
        List<Document> documents = branch.list(List.of(ArtifactPaths.REPOSITORIES, ArtifactPaths.BLOBS,
                ArtifactPaths.GC, ArtifactPaths.DEPLOYMENTS)).await().atMost(wait);
        repositories.clear();
        pointers.clear();
        gcMarks.clear();
        deployments.clear();
        unreadable.clear();
        documents.forEach(d -> applySafely(d.path(), Optional.of(d.content())));
        clearedUpTo = marks;
        loaded = true;
    }

    /**
     * Records that could not be read, path → why. One bad record (a hand edit, a bad write) must not keep the whole
     * registry from being served: it is skipped and named in the log (error) and in readiness, and everything else is
     * served. Nothing is lost by skipping it: the changes that would need it (a delete that must know a deployment, a
     * tag or the manifests of a repository; retention's re-check; garbage collection's check of a blob's links,
     * pointer or mark) read the branch itself inside their commit, and an unreadable record there refuses the change
     * rather than guessing. Revert the branch to its last good commit to get it back (docs/operations.md).
     */
    public Map<String, String> unreadable() {
        return Map.copyOf(unreadable);
    }

    /** Read, and not waiting for a full re-read after a commit whose outcome is unknown (readiness). */
    public boolean loaded() {
        return loaded && !stale();
    }

    /**
     * A commit of ours may have landed without our hearing it (its answer was lost, the wait timed out, the re-read
     * failed): the catalog may be missing records that are on the branch, and a retry of the same change writes
     * nothing that would bring them in. Until a full re-read it is not trusted.
     */
    public void markStale() {
        staleMarks.incrementAndGet();
    }

    public boolean stale() {
        return staleMarks.get() != clearedUpTo;
    }

    /**
     * Fails with {@link StateUnavailableException} until the catalog has been read once; after {@link #markStale()}
     * re-reads everything from the branch first (asking the store for its newest head), and fails if it cannot.
     */
    public void requireLoaded() {
        if (!loaded) {
            throw new StateUnavailableException("the registry's records have not been read from the state branch yet", null);
        }
        if (stale()) {
            try {
                reloadAll();
            } catch (RuntimeException e) {
                throw new StateUnavailableException("the registry's records are being re-read after a commit whose"
                        + " outcome is unknown", e);
            }
        }
    }

    /** Asks the store for its newest head, then reads every record again. */
    public void reloadAll() {
        branch.refresh().await().atMost(READ_WAIT);
        load(READ_WAIT);
    }

    /** Re-reads {@code paths} from the branch view, which already holds our acknowledged commit. */
    public synchronized void reload(Collection<String> paths) {
        for (String path : paths) {
            Optional<Document> document = branch.read(path).await().atMost(READ_WAIT);
            applySafely(path, document.map(Document::content));
        }
    }

    private void applySafely(String path, Optional<byte[]> content) {
        try {
            apply(path, content);
            unreadable.remove(path);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            unreadable.put(path, reason);
            Log.errorf("Record %s on the state branch is unreadable and was skipped (%s); the rest of the registry is"
                    + " served, and changes that need this record are refused until it is repaired", path, reason);
        }
    }

    /** Parses first, then changes the catalog: a record that does not parse leaves it as it was. */
    private void apply(String path, Optional<byte[]> content) {
        Optional<ArtifactPaths.Parsed> parsed = ArtifactPaths.parse(path);
        if (parsed.isPresent()) {
            applyRepositoryRecord(parsed.get(), content);
            return;
        }
        Optional<Digest> pointer = ArtifactPaths.pointerDigest(path);
        if (pointer.isPresent()) {
            Optional<LfsPointer> read = content.map(c -> LfsPointer.parse(new String(c,
                    java.nio.charset.StandardCharsets.UTF_8)).orElseThrow(
                            () -> new IllegalArgumentException(
                                    "not a Git LFS pointer")));
            read.ifPresentOrElse(p -> pointers.put(pointer.get(), p.size()), () -> pointers.remove(pointer.get()));
        }
        Optional<Digest> marked = ArtifactPaths.gcDigest(path);
        if (marked.isPresent()) {
            Optional<GcMark> mark = content.map(c -> CatalogJson.read(c, GcMark.class));
            mark.ifPresentOrElse(m -> gcMarks.put(marked.get(), m), () -> gcMarks.remove(marked.get()));
        }
        if (path.startsWith(ArtifactPaths.DEPLOYMENTS + "/") && path.endsWith(".json")) {
            String environment = path.substring(ArtifactPaths.DEPLOYMENTS.length() + 1, path.length() - 5);
            Optional<DeploymentReferences> references = content.map(c -> CatalogJson.read(c,
                    DeploymentReferences.class));
            references.ifPresentOrElse(r -> deployments.put(environment, r), () -> deployments.remove(environment));
        }
    }

    private void applyRepositoryRecord(ArtifactPaths.Parsed record, Optional<byte[]> content) {
        Object value = content.map(c -> switch (record.kind()) {
            case MANIFEST -> CatalogJson.read(c, ManifestRecord.class);
            case TAG -> CatalogJson.read(c, TagRecord.class);
            case BLOB_LINK -> CatalogJson.read(c, BlobLink.class);
            case PULLS -> Map.copyOf(CatalogJson.readPulls(c));
        }).orElse(null);
        RepositoryEntry entry = repositories.computeIfAbsent(record.repository(), RepositoryEntry::new);
        switch (record.kind()) {
            case MANIFEST -> {
                Digest digest = new Digest(record.key());
                if (value == null) {
                    entry.manifests.remove(digest);
                } else {
                    entry.manifests.put(digest, (ManifestRecord) value);
                }
            }
            case TAG -> {
                if (value == null) {
                    entry.tags.remove(record.key());
                } else {
                    entry.tags.put(record.key(), (TagRecord) value);
                }
            }
            case BLOB_LINK -> {
                Digest digest = new Digest(record.key());
                if (value == null) {
                    entry.blobs.remove(digest);
                } else {
                    entry.blobs.put(digest, (BlobLink) value);
                }
            }
            case PULLS -> {
                @SuppressWarnings("unchecked")
                Map<String, PullRecord> pulls = value == null ? Map.of() : (Map<String, PullRecord>) value;
                entry.pulls = pulls;
            }
        }
        if (entry.isEmpty()) {
            repositories.remove(record.repository());
        }
    }

    public List<RepositoryEntry> repositories() {
        return List.copyOf(repositories.values());
    }

    public Optional<RepositoryEntry> repository(RepositoryName name) {
        return Optional.ofNullable(repositories.get(name));
    }

    /** The size of a stored blob, if its LFS pointer is on the branch. */
    public Optional<Long> storedSize(Digest digest) {
        return Optional.ofNullable(pointers.get(digest));
    }

    public Map<Digest, Long> storedBlobs() {
        return Map.copyOf(pointers);
    }

    public Map<Digest, GcMark> gcMarks() {
        return Map.copyOf(gcMarks);
    }

    public Map<String, DeploymentReferences> deployments() {
        return Map.copyOf(deployments);
    }

    /** Bytes of every blob a repository links (each once, however many repositories link it). */
    public long storedBytes() {
        return pointers.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Bytes the blob store holds: linked blobs, and unlinked ones not collected yet (a {@code gc/} mark: locally until
     * the collection delay has passed and the object is deleted, on GitHub for good). What the storage alerts and the
     * quota count, since the disk or GitHub's LFS storage holds them all the same.
     */
    public long usedBytes() {
        Map<Digest, Long> linked = Map.copyOf(pointers);
        return linked.values().stream().mapToLong(Long::longValue).sum() + gcMarks.entrySet().stream()
                .filter(e -> !linked.containsKey(e.getKey())).mapToLong(e -> e.getValue().size()).sum();
    }

    /** Objects the blob store holds: linked blobs and unlinked ones not collected yet. */
    public long usedObjects() {
        Map<Digest, Long> linked = Map.copyOf(pointers);
        return linked.size() + gcMarks.keySet().stream().filter(d -> !linked.containsKey(d)).count();
    }

    /** Whether the blob store holds {@code digest}, linked or waiting for collection: storing it again adds nothing. */
    public boolean holds(Digest digest) {
        return pointers.containsKey(digest) || gcMarks.containsKey(digest);
    }

    /** Whether any repository links {@code digest}. */
    public boolean linkedAnywhere(Digest digest) {
        return repositories.values().stream().anyMatch(r -> r.blobs.containsKey(digest));
    }
}
