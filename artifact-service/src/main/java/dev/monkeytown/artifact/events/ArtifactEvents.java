package dev.monkeytown.artifact.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.monkeytown.artifact.oci.Digest;
import dev.monkeytown.artifact.oci.Manifest;
import dev.monkeytown.artifact.oci.RepositoryName;
import dev.monkeytown.events.EventLog;

/**
 * The registry's events on {@code /internal/events}, published after the commit that made them true. Types start with
 * {@code artifact.} because websocket-service routes that prefix to the {@code artifacts} topic; so the retention run
 * is {@code artifact.retention-ran}.
 */
@Singleton
public class ArtifactEvents {

    public static final String PUSHED = "artifact.pushed";
    public static final String DELETED = "artifact.deleted";
    public static final String RETENTION_RAN = "artifact.retention-ran";

    private final EventLog events;
    private final Counter pushes;
    private final MeterRegistry registry;

    ArtifactEvents(EventLog events, MeterRegistry registry) {
        this.events = events;
        this.registry = registry;
        this.pushes = Counter.builder("monkeytown.artifacts.pushes").description("Manifests pushed")
                .register(registry);
    }

    public record Pushed(String repository, String digest, String tag, String mediaType, String artifactType,
            long size, String subject, String pushedBy) {
    }

    public record Deleted(String repository, String digest, String tag, String deletedBy, String reason) {
    }

    public void pushed(RepositoryName repository, Digest digest, Optional<String> tag, Manifest manifest, long size,
            String user) {
        pushes.increment();
        events.publish(PUSHED, repository + "@" + digest, new Pushed(repository.value(), digest.toString(),
                tag.orElse(null), manifest.mediaType(), manifest.artifactType(), size,
                manifest.subject().map(s -> s.digest().toString()).orElse(null), user));
    }

    /** {@code reason}: {@code api} (a person or service deleted it) or {@code retention}. */
    public void deleted(RepositoryName repository, Digest digest, Optional<String> tag, String user, String reason) {
        Counter.builder("monkeytown.artifacts.deletions").description("Manifests and tags deleted, by reason")
                .tag("reason", reason).register(registry).increment();
        events.publish(DELETED, repository + "@" + digest,
                new Deleted(repository.value(), digest.toString(), tag.orElse(null), user, reason));
    }

    public void retentionRan(String runId, boolean dryRun, int candidates, long reclaimableBytes,
            List<String> removed) {
        events.publish(RETENTION_RAN, runId, Map.of("id", runId, "dryRun", dryRun, "candidates", candidates,
                "reclaimableBytes", reclaimableBytes, "removed", removed.size()));
    }
}
