package dev.monkeytown.artifact.retention;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.monkeytown.artifact.access.NamePattern;

/**
 * The retention rules in force: per-repository rules (first match wins; a repository no rule matches gets the default
 * six months), the grace delay for untagged manifests and orphan referrers, and the immutable tag patterns.
 */
public record RetentionPolicy(List<RetentionRule> rules, Duration untaggedGrace, List<ImmutableRule> immutable,
        String source) {

    /** Tags matching {@code tags} in repositories matching {@code repositories} can never move or be deleted. */
    public record ImmutableRule(NamePattern repositories, List<NamePattern> tags) {
    }

    public RetentionPolicy {
        rules = List.copyOf(rules);
        immutable = List.copyOf(immutable);
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(List.of(), Duration.ofDays(1), List.of(), "built-in default (6 months)");
    }

    public RetentionRule ruleFor(String repository) {
        return rules.stream().filter(r -> r.repositories().matches(repository)).findFirst()
                .orElse(RetentionRule.sixMonths(NamePattern.of("**")));
    }

    public Optional<String> immutablePattern(String repository, String tag) {
        for (ImmutableRule rule : immutable) {
            if (rule.repositories().matches(repository)) {
                for (NamePattern pattern : rule.tags()) {
                    if (pattern.matches(tag)) {
                        return Optional.of(pattern.glob());
                    }
                }
            }
        }
        return Optional.empty();
    }
}
