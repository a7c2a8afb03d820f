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
        documents.forEach(d -> apply(d.path(), Optional.of(d.content())));
        clearedUpTo = marks;
        loaded = true;
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
            apply(path, document.map(Document::content));
        }
    }

    private void apply(String path, Optional<byte[]> content) {
        Optional<ArtifactPaths.Parsed> parsed = ArtifactPaths.parse(path);
        if (parsed.isPresent()) {
            applyRepositoryRecord(parsed.get(), content);
            return;
        }
        ArtifactPaths.pointerDigest(path).ifPresent(digest -> content.flatMap(c -> LfsPointer.parse(new String(c,
                java.nio.charset.StandardCharsets.UTF_8))).ifPresentOrElse(p -> pointers.put(digest, p.size()),
                        () -> pointers.remove(digest)));
        ArtifactPaths.gcDigest(path).ifPresent(digest -> content.ifPresentOrElse(
                c -> gcMarks.put(digest, CatalogJson.read(c, GcMark.class)), () -> gcMarks.remove(digest)));
        if (path.startsWith(ArtifactPaths.DEPLOYMENTS + "/") && path.endsWith(".json")) {
            String environment = path.substring(ArtifactPaths.DEPLOYMENTS.length() + 1, path.length() - 5);
            content.ifPresentOrElse(c -> deployments.put(environment, CatalogJson.read(c, DeploymentReferences.class)),
                    () -> deployments.remove(environment));
        }
    }

    private void applyRepositoryRecord(ArtifactPaths.Parsed record, Optional<byte[]> content) {
        RepositoryEntry entry = repositories.computeIfAbsent(record.repository(), RepositoryEntry::new);
        switch (record.kind()) {
            case MANIFEST -> {
                Digest digest = new Digest(record.key());
                content.ifPresentOrElse(c -> entry.manifests.put(digest, CatalogJson.read(c, ManifestRecord.class)),
                        () -> entry.manifests.remove(digest));
            }
            case TAG -> content.ifPresentOrElse(c -> entry.tags.put(record.key(), CatalogJson.read(c, TagRecord.class)),
                    () -> entry.tags.remove(record.key()));
            case BLOB_LINK -> {
                Digest digest = new Digest(record.key());
                content.ifPresentOrElse(c -> entry.blobs.put(digest, CatalogJson.read(c, BlobLink.class)),
                        () -> entry.blobs.remove(digest));
            }
            case PULLS -> entry.pulls = content.map(CatalogJson::readPulls).map(Map::copyOf).orElse(Map.of());
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

    /** Bytes of every blob the registry stores (each once, however many repositories link it). */
    public long storedBytes() {
        return pointers.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether any repository links {@code digest}. */
    public boolean linkedAnywhere(Digest digest) {
        return repositories.values().stream().anyMatch(r -> r.blobs.containsKey(digest));
    }
}
