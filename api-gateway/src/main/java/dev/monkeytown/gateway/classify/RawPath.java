package dev.monkeytown.gateway.guard;

import java.util.Optional;

/**
 * Judges a request path exactly as the client sent it, before anything decodes or normalises it. A path that could mean
 * something else once decoded ({@code ..}, an encoded separator, a double encoding) is refused rather than cleaned:
 * services behind the gateway decode again, and a gateway that cleans one way while a service decodes another is how
 * traversal gets through.
 */
public final class RawPath {

    private RawPath() {
    }

    /** Why the raw path is refused, or empty when it is acceptable. */
    public static Optional<String> defect(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return Optional.of("the path must start with '/'");
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("the path contains a control character");
            }
            if (c == '\\') {
                return Optional.of("the path contains a backslash");
            }
            if (c == '%') {
                Optional<String> encoded = encodedDefect(rawPath, i);
                if (encoded.isPresent()) {
                    return encoded;
                }
                i += 2;
            }
        }
        if (rawPath.contains("//")) {
            return Optional.of("the path contains an empty segment ('//')");
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("the path contains a '" + segment + "' segment");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> encodedDefect(String path, int at) {
        if (at + 2 >= path.length() || hex(path.charAt(at + 1)) < 0 || hex(path.charAt(at + 2)) < 0) {
            return Optional.of("the path contains a malformed percent-encoding");
        }
        int decoded = hex(path.charAt(at + 1)) * 16 + hex(path.charAt(at + 2));
        return switch (decoded) {
            case '/', '\\' -> Optional.of("the path contains an encoded separator ('" + path.substring(at, at + 3) + "')");
            case '.' -> Optional.of("the path contains an encoded dot ('" + path.substring(at, at + 3) + "')");
            case '%' -> Optional.of("the path is double-encoded ('" + path.substring(at, at + 3) + "')");
            default -> decoded < 0x20 || decoded == 0x7f
                    ? Optional.of("the path contains an encoded control character")
                    : Optional.empty();
        };
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
