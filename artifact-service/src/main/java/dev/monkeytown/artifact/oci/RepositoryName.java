package dev.monkeytown.artifact.oci;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A repository name as the OCI distribution spec defines it: lower-case path components separated by {@code /}. Its
 * components are also folder names on the state branch, which the grammar keeps safe (no {@code .} or {@code ..}, no
 * leading {@code _}, so no clash with the {@code _tags}-style folders beside them).
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    /** Most clients and registries stop at 255 characters; so does this one. */
    public static final int MAX_LENGTH = 255;
    private static final Pattern GRAMMAR = Pattern
            .compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    public RepositoryName {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a repository name");
        }
    }

    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && GRAMMAR.matcher(value).matches();
    }

    public static Optional<RepositoryName> parse(String value) {
        return isValid(value) ? Optional.of(new RepositoryName(value)) : Optional.empty();
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
