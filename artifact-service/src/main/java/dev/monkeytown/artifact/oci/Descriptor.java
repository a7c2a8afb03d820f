package dev.monkeytown.artifact.oci;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An OCI content descriptor: what a manifest says about a blob or another manifest it points to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
        Map<String, String> annotations) {

    public Descriptor {
        annotations = annotations == null || annotations.isEmpty() ? null : Map.copyOf(annotations);
    }
}
