package dev.monkeytown.artifact.access;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The repositories a caller's token is limited to ({@code X-Monkeytown-Scope}: comma-separated {@link NamePattern}s),
 * or every repository when the gateway sent no scope (an unscoped token).
 */
public record RepositoryScope(Optional<List<NamePattern>> patterns) {

    public static final RepositoryScope ALL = new RepositoryScope(Optional.empty());

    public static RepositoryScope parse(String header) {
        if (header == null) {
            return ALL;
        }
        List<NamePattern> patterns = Arrays.stream(header.split(",")).map(String::trim).filter(p -> !p.isEmpty())
                .map(NamePattern::of).toList();
        return new RepositoryScope(Optional.of(patterns));
    }

    public boolean allows(String repository) {
        return patterns.map(list -> list.stream().anyMatch(p -> p.matches(repository))).orElse(true);
    }

    @Override
    public String toString() {
        return patterns.map(list -> String.join(", ", list.stream().map(NamePattern::glob).toList())).orElse("**");
    }
}
