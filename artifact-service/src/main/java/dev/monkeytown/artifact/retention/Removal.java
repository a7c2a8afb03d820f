package dev.monkeytown.artifact.retention;

import java.util.List;

/** A manifest a retention run removes (or, in a dry run, would remove), and why. */
public record Removal(String repository, String digest, List<String> tags, long size, String reason) {
}
