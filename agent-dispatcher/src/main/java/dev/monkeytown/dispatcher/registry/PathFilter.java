package dev.monkeytown.dispatcher.registry;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.PatternSyntaxException;

/**
 * The changed-path globs that make an agent run on a push. Patterns are repository-relative with {@code /} separators:
 * {@code *} stays within one directory, {@code **} crosses directories, so {@code docs/**} matches {@code docs/a/b.md}
 * and {@code src/*.java} matches {@code src/A.java} but not {@code src/x/A.java}. A filter with no patterns matches
 * nothing: an agent without paths is not an on-change agent.
 */
public final class PathFilter {

    private final List<String> patterns;
    private final List<PathMatcher> matchers;

    private PathFilter(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.matchers = this.patterns.stream().map(PathFilter::compile).toList();
    }

    /** @throws IllegalArgumentException naming the first pattern that is not a valid glob */
    public static PathFilter of(List<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        return new PathFilter(patterns);
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether any changed path matches any pattern. */
    public boolean matches(Collection<String> changedPaths) {
        Objects.requireNonNull(changedPaths, "changedPaths");
        return changedPaths.stream().anyMatch(this::matches);
    }

    public boolean matches(String changedPath) {
        Path path;
        try {
            path = Path.of(changedPath);
        } catch (InvalidPathException e) {
            // Git can report names this platform cannot represent; such a path cannot match a declared glob.
            return false;
        }
        return matchers.stream().anyMatch(m -> m.matches(path));
    }

    private static PathMatcher compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("path pattern must not be blank");
        }
        if (pattern.startsWith("/")) {
            // Changed paths from Git are relative, so an absolute pattern would silently never match.
            throw new IllegalArgumentException("path pattern '" + pattern + "' must be relative to the repository root");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("path pattern '" + pattern + "' is not a valid glob: "
                    + e.getDescription(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathFilter that && patterns.equals(that.patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
