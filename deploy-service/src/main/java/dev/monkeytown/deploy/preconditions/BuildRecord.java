package dev.monkeytown.deploy.preconditions;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.monkeytown.deploy.deployments.Artifact;

/** What deploy-service reads of a build-service build ({@code GET /api/v1/builds}): its commit, tree and outputs. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildRecord(String id, String pipeline, String sha, String tree, String state, List<Output> outputs,
        Stored artifact) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String path, String digest, long size) {
    }

    /** Where build-service stored the outputs: the OCI manifest in artifact-service. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stored(String repository, String manifestDigest) {
    }

    public BuildRecord {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public boolean succeeded() {
        return "succeeded".equals(state);
    }

    public Artifact toArtifact() {
        String reference = artifact == null || artifact.repository() == null || artifact.manifestDigest() == null
                ? null
                : artifact.repository() + "@" + artifact.manifestDigest();
        return new Artifact(pipeline, id, sha, tree,
                outputs.stream().map(o -> new Artifact.File(o.path(), o.digest(), o.size())).toList(), reference);
    }
}
