package dev.monkeytown.artifact.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What {@code /api/v1/artifacts} answers: the service's own API records, never the branch's. */
public final class ArtifactViews {

    private ArtifactViews() {
    }

    public record RepositoryView(String name, int artifacts, int tags, long bytes, Instant lastPushedAt) {
    }

    /**
     * Storage as the spec's capacity table reads it: level {@code ok}, {@code warning} (above 500 MB) or
     * {@code critical} (above 800 MB: archive old data). {@code scope}: {@code registry} (every blob the store holds,
     * unlinked ones until collected) or, for a token limited to some repositories, {@code repositories} (the blobs
     * its repositories link, and the share of the quota and level those alone reach; unlinked blobs belong to no
     * repository, so nothing is reclaimable there).
     */
    public record StorageView(String scope, long usedBytes, long objects, long quotaBytes, double quotaUsed,
            String level, long reclaimableBytes, String backend) {
    }

    public record RepositoryList(List<RepositoryView> repositories, StorageView storage) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArtifactView(String repository, String digest, String mediaType, String artifactType, long size,
            List<String> tags, Instant pushedAt, String pushedBy, long pulls, Instant lastPulledAt, String subject,
            Map<String, String> annotations) {
    }

    public record ArtifactList(String repository, List<ArtifactView> artifacts) {
    }

    public record Uploaded(String repository, String digest, String tag, String artifactType, String fileDigest,
            long fileSize, String location) {
    }
}
