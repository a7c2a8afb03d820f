package dev.monkeytown.artifact.catalog;

import java.util.Optional;

import dev.monkeytown.artifact.oci.RepositoryName;

/** Which tags may never move or go (the retention policy's immutable patterns, e.g. {@code v*}). */
@FunctionalInterface
public interface TagRules {

    TagRules NONE = (repository, tag) -> Optional.empty();

    /** The immutable pattern {@code tag} matches in {@code repository}, if any. */
    Optional<String> immutablePattern(RepositoryName repository, String tag);
}
