package dev.monkeytown.artifact.oci;

import java.util.regex.Pattern;

/** A tag, by the OCI grammar: at most 128 characters, never starting with {@code .} or {@code -}. */
public final class Tag {

    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private Tag() {
    }

    public static boolean isValid(String tag) {
        return tag != null && GRAMMAR.matcher(tag).matches();
    }
}
