package dev.monkeytown.artifact.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.artifact.oci.Digest;

/**
 * What retention needs to know of one manifest in one repository: nothing else is consulted, so a plan is a pure
 * function of these facts, the policy, the deployments and the time.
 *
 * @param children manifests an index includes (empty for an image or artifact manifest)
 * @param subject the manifest this one refers to, if it is a referrer (a signature, an SBOM)
 * @param lastPulled when last pulled, if ever
 */
public record ArtifactFacts(String repository, Digest digest, Set<String> tags, Instant pushedAt,
        Optional<Instant> lastPulled, List<Digest> children, Optional<Digest> subject, long size) {

    public ArtifactFacts {
        tags = Set.copyOf(tags);
        children = List.copyOf(children);
    }

    /** The latest of push and pull: "neither pushed nor pulled since". */
    public Instant lastUsed() {
        return lastPulled.filter(p -> p.isAfter(pushedAt)).orElse(pushedAt);
    }

    public String reference() {
        return repository + "@" + digest;
    }
}
