package dev.monkeytown.artifact.retention;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.monkeytown.artifact.access.NamePattern;

/**
 * One retention rule, for the repositories its pattern matches (the first matching rule applies). A tagged manifest
 * is kept if any of the rule's conditions holds; a rule with no condition keeps nothing but what is always kept.
 *
 * @param keepLatest keep the N most recently pushed tagged manifests of each repository
 * @param keepWithin keep what was pushed or pulled within this window
 * @param keepTags keep manifests with a tag matching one of these patterns
 */
public record RetentionRule(NamePattern repositories, OptionalInt keepLatest, Optional<Duration> keepWithin,
        List<NamePattern> keepTags) {

    public RetentionRule {
        keepTags = List.copyOf(keepTags);
    }

    /** The spec's default: remove what was neither pushed nor pulled for 6 months. */
    public static RetentionRule sixMonths(NamePattern repositories) {
        return new RetentionRule(repositories, OptionalInt.empty(), Optional.of(Duration.ofDays(183)), List.of());
    }
}
