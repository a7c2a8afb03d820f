package dev.monkeytown.artifact.retention;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.catalog.ArtifactPaths;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.CatalogJson;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.GcMark;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.storage.BlobStore;
import dev.monkeytown.artifact.storage.InFlightBlobs;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.StateBranch;

/**
 * Collects blobs no repository links any more, in two steps a delay apart. First the blob's LFS pointer leaves the
 * branch and a mark records since when it is unlinked; once {@code gc.delay} has passed with nothing linking it again,
 * the local object is deleted. On GitHub the second step cannot happen (LFS objects cannot be deleted one by one), so
 * the marks stay and their bytes are reported as reclaimable.
 */
@Singleton
public class GarbageCollector {

    private final Catalog catalog;
    private final StateBranch branch;
    private final CatalogWriter writer;
    private final BlobStore store;
    private final InFlightBlobs inFlight;
    private final ArtifactConfig config;
    private final Clock clock = Clock.systemUTC();

    private static final Duration BRANCH_READ_WAIT = Duration.ofSeconds(30);

    GarbageCollector(Catalog catalog, StateBranch branch, CatalogWriter writer, BlobStore store, InFlightBlobs inFlight,
            ArtifactConfig config, MeterRegistry registry) {
        this.catalog = catalog;
        this.branch = branch;
        this.writer = writer;
        this.store = store;
        this.inFlight = inFlight;
        this.config = config;
        Gauge.builder("monkeytown.artifacts.gc.reclaimable.bytes", this, GarbageCollector::reclaimableBytes)
                .description("Bytes of unlinked blobs still stored (waiting out the delay, or on GitHub for good)")
                .baseUnit("bytes").register(registry);
    }

    @Scheduled(every = "${monkeytown.artifacts.gc.interval:10m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!catalog.loaded() && !catalog.stale()) {
            return; // never read yet; a stale catalog is re-read by collect() first
        }
        try {
            collect();
        } catch (RuntimeException e) {
            Log.warnf("Garbage collection did not finish, will retry: %s", e.toString());
        }
    }

    public synchronized GcReport collect() {
        catalog.requireLoaded();
        // the newest head, so the checks on the branch below see every commit that landed (a 304 on GitHub)
        branch.refresh().await().atMost(BRANCH_READ_WAIT);
        int unlinked = markUnlinked();
        int deleted = 0;
        long deletedBytes = 0;
        if (store.deletesObjects()) {
            Instant due = clock.instant().minus(config.gc().delay());
            Map<Digest, GcMark> expired = catalog.gcMarks().entrySet().stream()
                    .filter(e -> !e.getValue().since().isAfter(due))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            // the object goes first, then its mark: a crash in between leaves a mark whose object is already gone,
            // which the next collection finishes; never a mark-less object nobody would collect
            List<Digest> gone = new ArrayList<>();
            for (Map.Entry<Digest, GcMark> entry : expired.entrySet()) {
                if (deleteObject(entry.getKey(), true)) {
                    gone.add(entry.getKey());
                    deleted++;
                    deletedBytes += entry.getValue().size();
                }
            }
            if (!gone.isEmpty()) {
                writer.apply("collect " + gone.size() + " unlinked blob(s)", Actor.service("artifact-service"),
                        ws -> gone.forEach(d -> {
                            if (ws.read(ArtifactPaths.pointer(d)).isEmpty()) {
                                ws.delete(ArtifactPaths.gcMark(d));
                            }
                        }));
            }
        }
        deleted += sweepUnrecorded();
        GcReport report = new GcReport(unlinked, deleted, deletedBytes, reclaimableBytes(), store.deletesObjects(),
                store.deletesObjects()
                        ? "unlinked objects are deleted " + config.gc().delay() + " after they became"
                                + " unlinked"
                        : "GitHub's LFS storage cannot delete objects one by one: the reclaimable bytes stay counted"
                                + " against the repository's LFS storage until its LFS objects are purged");
        if (unlinked > 0 || deleted > 0) {
            Log.infof("Garbage collection: %d blob(s) unlinked, %d object(s) deleted (%d bytes), %d bytes reclaimable",
                    unlinked, deleted, deletedBytes, report.reclaimableBytes());
        }
        return report;
    }

    /** Blobs with a pointer but no link anywhere: pointer out, mark in, in one commit. */
    private int markUnlinked() {
        Set<Digest> candidates = catalog.storedBlobs().keySet().stream()
                .filter(d -> !catalog.linkedAnywhere(d) && !inFlight.isHeld(d)).collect(Collectors.toSet());
        if (candidates.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        Map<Digest, Long> sizes = catalog.storedBlobs();
        List<Digest> marked = new ArrayList<>();
        writer.apply("unlink " + candidates.size() + " blob(s) no repository uses", Actor.service("artifact-service"),
                ws -> {
                    marked.clear();
                    Set<String> linked = ws.list(ArtifactPaths.REPOSITORIES + "/").stream()
                            .filter(p -> p.contains("/_blobs/sha256/")).map(p -> p.substring(p.lastIndexOf('/') + 1))
                            .collect(Collectors.toSet());
                    for (Digest d : candidates) {
                        if (!linked.contains(d.hex() + ".json") && ws.read(ArtifactPaths.pointer(d)).isPresent()) {
                            ws.delete(ArtifactPaths.pointer(d));
                            ws.put(ArtifactPaths.gcMark(d), CatalogJson.write(new GcMark(sizes.get(d), now)));
                            marked.add(d);
                        }
                    }
                });
        return marked.size();
    }

    /**
     * Objects with neither a pointer nor a mark, older than the delay: stored by a push that died before its commit
     * (the push was never acknowledged). Nothing names them, so nothing else would ever delete them.
     */
    private int sweepUnrecorded() {
        if (!store.deletesObjects()) {
            return 0;
        }
        int swept = 0;
        try {
            Map<Digest, Long> recorded = catalog.storedBlobs();
            Map<Digest, GcMark> marked = catalog.gcMarks();
            for (Digest digest : store.objectsStoredBefore(clock.instant().minus(config.gc().delay()))) {
                if (!recorded.containsKey(digest) && !marked.containsKey(digest) && deleteObject(digest, false)) {
                    swept++;
                }
            }
        } catch (IOException e) {
            Log.warnf("Could not look for unrecorded LFS objects, will retry: %s", e.toString());
        }
        return swept;
    }

    /**
     * Deletes the object unless a push holds it or a record names it. The catalog is only a first filter: a commit
     * whose answer was lost may be on the branch and not in it, so the branch itself is asked right before deleting —
     * the object goes only while no pointer names it and (for a marked blob) its mark is still there; an unrecorded
     * object only while neither is.
     */
    private boolean deleteObject(Digest digest, boolean marked) {
        try {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            inFlight.deleteUnlessHeld(digest, () -> {
                // pushed again since it was marked: its pointer is back and the object stays
                if (catalog.storedSize(digest).isEmpty() && !onBranch(ArtifactPaths.pointer(digest))
                        && onBranch(ArtifactPaths.gcMark(digest)) == marked) {
                    store.delete(digest);
                    done.set(true);
                }
            });
            return done.get();
        } catch (IOException | RuntimeException e) {
            Log.warnf("Could not delete LFS object %s, will retry: %s", digest.oid(), e.toString());
            return false;
        }
    }

    private boolean onBranch(String path) {
        return branch.read(path).await().atMost(BRANCH_READ_WAIT).isPresent();
    }

    public long reclaimableBytes() {
        return catalog.gcMarks().values().stream().mapToLong(GcMark::size).sum();
    }
}
