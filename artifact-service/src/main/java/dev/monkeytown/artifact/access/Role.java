package dev.monkeytown.artifact.access;

import java.util.Locale;
import java.util.Optional;

/** The gateway's roles, lowest first: viewer may pull, operator may push, admin may delete and run retention. */
public enum Role {
    ANONYMOUS, VIEWER, OPERATOR, ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public static Optional<Role> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "anonymous" -> Optional.of(ANONYMOUS);
            case "viewer" -> Optional.of(VIEWER);
            case "operator" -> Optional.of(OPERATOR);
            case "admin" -> Optional.of(ADMIN);
            default -> Optional.empty();
        };
    }
}
