package dev.monkeytown.artifact.storage;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import dev.monkeytown.artifact.ArtifactConfig;
import dev.monkeytown.artifact.catalog.Catalog;
import dev.monkeytown.artifact.upload.UploadSessions;

/**
 * Storage as the spec's capacity table watches it ("Storage used > 500 MB warning, > 800 MB critical"): bytes and
 * objects stored, the share of the quota used, and a level the alert rules can read without knowing the thresholds.
 * Read from the catalog when scraped, never stale.
 */
@Singleton
public class StorageGauges {

    void register(@Observes StartupEvent event, Catalog catalog, ArtifactConfig config, UploadSessions uploads,
            MeterRegistry registry) {
        Gauge.builder("monkeytown.artifacts.storage.bytes", catalog, Catalog::usedBytes)
                .description("Bytes of blobs stored (each once, unlinked ones until collected); alerts: > 500 MB"
                        + " warning, > 800 MB critical")
                .baseUnit("bytes").register(registry);
        Gauge.builder("monkeytown.artifacts.storage.objects", catalog, Catalog::usedObjects)
                .description("Blobs stored (unlinked ones until collected)").register(registry);
        Gauge.builder("monkeytown.artifacts.quota.used", catalog,
                c -> (double) c.usedBytes() / Math.max(1, config.quota().asLongValue()))
                .description("Share of the storage quota used, 0..1").register(registry);
        Gauge.builder("monkeytown.artifacts.storage.level", catalog, c -> level(c.usedBytes(), config))
                .description("0 ok, 1 warning (above storage-warning), 2 critical (above storage-critical)")
                .register(registry);
        Gauge.builder("monkeytown.artifacts.uploads.in.progress", uploads, UploadSessions::inProgress)
                .description("Blob uploads started and not finished").register(registry);
    }

    public static int level(long used, ArtifactConfig config) {
        return used > config.storageCritical().asLongValue() ? 2 : used > config.storageWarning().asLongValue() ? 1 : 0;
    }
}
