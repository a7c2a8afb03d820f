package dev.monkeytown.gateway.pipeline;

import java.util.Locale;

/** What a caller may do. Ordered: each role includes the ones before it. */
public enum Role {
    ANONYMOUS, VIEWER, OPERATOR, ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        return Role.valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
