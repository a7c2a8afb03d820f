package dev.monkeytown.deploy.deployments;

import java.util.List;
import java.util.Objects;

/**
 * A required pipeline's build whose outputs a deployment deploys: stored in artifact-service as
 * {@code builds/<pipeline>}, each file by digest. For a commit with an identical tree to one already built, the
 * build of that tree (no rebuild).
 *
 * @param reference the build's manifest as {@code <repository>@sha256:<hex>}, what artifact-service's retention keeps
 *        for a current or last good deployment; null when build-service did not say
 */
public record Artifact(String pipeline, String buildId, String sha, String tree, List<File> files, String reference) {

    /** One output file, as build-service recorded it. */
    public record File(String path, String digest, long size) {

        public File {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(digest, "digest");
        }
    }

    public Artifact {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(buildId, "buildId");
        files = List.copyOf(files);
    }

    public Artifact(String pipeline, String buildId, String sha, String tree, List<File> files) {
        this(pipeline, buildId, sha, tree, files, null);
    }
}
