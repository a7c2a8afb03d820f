package dev.monkeytown.artifact.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.artifact.oci.Descriptor;
import dev.monkeytown.artifact.oci.Digest;

/**
 * A manifest stored in a repository: everything about it but its bytes, which sit in their own document so that
 * listings never load them.
 *
 * @param references the blobs (image manifest) or manifests (index) it points to
 * @param subject the manifest this one refers to (a signature, an SBOM), or null
 * @param pushedAt the latest push of this manifest to this repository (a re-push counts: retention keeps recent work)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestRecord(Digest digest, String mediaType, String artifactType, long size,
        List<Descriptor> references, Descriptor subject, Map<String, String> annotations, Instant pushedAt,
        String pushedBy) {

    public ManifestRecord {
        references = references == null ? List.of() : List.copyOf(references);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean refersTo(Digest other) {
        return references.stream().anyMatch(d -> d.digest().equals(other));
    }
}
