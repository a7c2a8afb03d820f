package dev.monkeytown.artifact.storage;

import java.nio.file.Path;

import dev.monkeytown.artifact.oci.Digest;

/** A complete upload on disk, flushed, with the digest of its bytes. */
public record SpooledBlob(Path file, Digest digest, long size) {
}
