package dev.monkeytown.artifact.storage;

import java.io.InputStream;
import java.nio.file.Path;

/** Where a blob's bytes come from when it is pulled: a local file (sent with sendfile) or a stream. */
public sealed interface BlobContent {

    record LocalFile(Path file) implements BlobContent {
    }

    /** A stream of the requested range; the caller closes it. */
    record Streamed(InputStream stream) implements BlobContent {
    }
}
