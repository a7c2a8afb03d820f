package dev.monkeytown.artifact.catalog;

import java.time.Instant;

import dev.monkeytown.artifact.oci.Digest;

/** A tag: the manifest it names, since when and who moved it there. */
public record TagRecord(Digest digest, Instant taggedAt, String taggedBy) {
}
