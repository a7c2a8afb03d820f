package dev.monkeytown.build.builds;

import java.util.List;
import java.util.Objects;

/** Where a build's outputs went: the OCI repository ({@code builds/<pipeline>}), manifest digest and its tags. */
public record BuildArtifact(String repository, String manifestDigest, List<String> tags) {
    public BuildArtifact {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        tags = List.copyOf(tags);
    }
}
