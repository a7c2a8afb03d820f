package dev.monkeytown.artifact.catalog;

import java.time.Instant;

/**
 * A blob made readable in one repository, by an upload or a cross-repository mount. Blobs are stored once whatever the
 * number of repositories; a link is what makes one pullable through a repository (the spec scopes blobs by repository).
 */
public record BlobLink(long size, Instant linkedAt, String linkedBy) {
}
