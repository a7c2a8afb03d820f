package dev.monkeytown.build.builds;

import java.util.Objects;

/** A file a build produced, as stored in the registry: its path relative to the checkout, blob digest and size. */
public record BuildOutput(String path, String digest, long size) {
    public BuildOutput {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(digest, "digest");
    }
}
