package dev.monkeytown.artifact.catalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.monkeytown.artifact.oci.Digest;

/**
 * A Git LFS pointer file (git-lfs {@code docs/spec.md}): the three lines Git stores in place of an LFS object. One per
 * stored blob sits on the state branch, so the branch's history references every object it ever held and
 * {@code git lfs fsck} can check the local object store against it.
 */
public record LfsPointer(Digest digest, long size) {

    private static final Pattern FORMAT = Pattern
            .compile("version https://git-lfs\\.github\\.com/spec/v1\noid sha256:([a-f0-9]{64})\nsize (\\d+)\n");

    public String text() {
        return "version https://git-lfs.github.com/spec/v1\noid sha256:" + digest.hex() + "\nsize " + size + "\n";
    }

    public static Optional<LfsPointer> parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new LfsPointer(new Digest(m.group(1)), Long.parseLong(m.group(2))));
    }
}
