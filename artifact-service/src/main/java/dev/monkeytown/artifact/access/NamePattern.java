package dev.monkeytown.artifact.access;

import java.util.regex.Pattern;

/**
 * A glob over repository names, as Harbor and zot write them: {@code *} matches within one path component,
 * {@code **} across components, {@code ?} one character. {@code builds/**} matches every repository below
 * {@code builds/}; {@code **} matches everything.
 */
public record NamePattern(String glob, Pattern regex) {

    public static NamePattern of(String glob) {
        if (glob == null || glob.isBlank() || glob.length() > 255) {
            throw new IllegalArgumentException("a pattern must be 1 to 255 characters");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (Character.isLetterOrDigit(c) || c == '/' || c == '-' || c == '_' || c == '.') {
                regex.append(Pattern.quote(String.valueOf(c)));
            } else {
                throw new IllegalArgumentException("'" + c + "' cannot appear in a pattern (allowed: letters, digits,"
                        + " / - _ . and the wildcards * ** ?)");
            }
        }
        return new NamePattern(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
