package dev.monkeytown.artifact.storage;

import java.io.IOException;
import java.time.Clock;

import jakarta.inject.Singleton;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.catalog.CatalogWriter;
import dev.monkeytown.artifact.catalog.RegistryChanges;
import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.state.Actor;

/**
 * The last step of every blob push, whichever way it came (monolithic, streamed, chunked, or the suite API's one-call
 * upload): check the digest the client claimed, check the quota, store the bytes, then record the link and pointer on
 * the branch. The push is acknowledged only after that commit, so an acknowledged blob is both stored and recorded; a
 * crash in between leaves at most an object no record names, which garbage collection removes.
 */
@Singleton
public class BlobIntake {

    private final BlobStore store;
    private final Catalog catalog;
    private final CatalogWriter writer;
    private final InFlightBlobs inFlight;
    private final ArtifactConfig config;
    private final StorageMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    BlobIntake(BlobStore store, Catalog catalog, CatalogWriter writer, InFlightBlobs inFlight, ArtifactConfig config,
            StorageMetrics metrics) {
        this.store = store;
        this.catalog = catalog;
        this.writer = writer;
        this.inFlight = inFlight;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Takes {@code blob} in. Its spool file is gone when this returns or throws: the store consumes it when it stores
     * the bytes, and on every other way out (digest or quota refused, the store refused or failed part way, the commit
     * failed) it is deleted here, so no caller has to remember to and no failure leaves one behind. Its share of the
     * spool budget is given back the same way.
     */
    public void accept(SpooledBlob blob, Digest claimed, RepositoryName repository, String user)
            throws IOException, DigestMismatchException, QuotaExceededException {
        try {
            if (!blob.digest().equals(claimed)) {
                throw new DigestMismatchException(claimed, blob.digest());
            }
            // unlinked blobs not collected yet still take their room (locally until collected, on GitHub for good)
            boolean stored = catalog.holds(claimed);
            long used = catalog.usedBytes();
            long quota = config.quota().asLongValue();
            if (!stored && used + blob.size() > quota) {
                throw new QuotaExceededException(quota, used, blob.size());
            }
            inFlight.hold(claimed);
            try {
                store.put(blob);
                writer.apply("push blob " + claimed + " to " + repository, Actor.user(user),
                        RegistryChanges.linkBlob(repository, claimed, blob.size(), clock.instant(), user));
            } finally {
                inFlight.release(claimed);
            }
        } finally {
            SpoolFile.delete(blob.file());
            blob.release(); // its share of the spool budget, whichever way this ends
        }
        metrics.pushed(blob.size());
    }

    /**
     * Links a blob another repository holds into {@code repository} without moving a byte (the spec's
     * cross-repository mount).
     */
    public void mount(Digest digest, long size, RepositoryName repository, String user) {
        writer.apply("mount blob " + digest + " into " + repository, Actor.user(user),
                RegistryChanges.linkBlob(repository, digest, size, clock.instant(), user));
    }
}
