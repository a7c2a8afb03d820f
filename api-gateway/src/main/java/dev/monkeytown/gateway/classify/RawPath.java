package dev.monkeytown.gateway.classify;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Judges a request path exactly as the client sent it, before anything decodes or normalises it. A path that could mean
 * something else once decoded ({@code ..}, an encoded separator, a double encoding, a matrix parameter) is refused
 * rather than cleaned: services behind the gateway decode again, and a gateway that cleans one way while a service
 * decodes another is how traversal gets through. What is left decodes to exactly one path, which is what the gateway
 * judges ({@link #decoded}) and what every service reads.
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
            if (c == ';') {
                // JAX-RS strips ";..." from a segment before matching: ".../content;x" is ".../content" to a service
                return Optional.of("the path contains a matrix parameter (';')");
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
        if (decodedStrictly(rawPath).isEmpty()) {
            // a lenient decoder elsewhere could read an overlong form such as %C1%A1 as a plain letter
            return Optional.of("the path's percent-encoding is not UTF-8");
        }
        return Optional.empty();
    }

    /**
     * The path a service reads: every percent-escape decoded (as UTF-8). Only meaningful for a path without a
     * {@link #defect}; such a path's escapes can no longer produce a separator, a dot segment or a parameter.
     */
    public static String decoded(String rawPath) {
        return decodedStrictly(rawPath).orElseThrow(() -> new IllegalArgumentException("judge the path first"));
    }

    private static Optional<String> decodedStrictly(String rawPath) {
        if (rawPath.indexOf('%') < 0) {
            return Optional.of(rawPath);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%' && i + 2 < rawPath.length() && hex(rawPath.charAt(i + 1)) >= 0
                    && hex(rawPath.charAt(i + 2)) >= 0) {
                bytes.write(hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2)));
                i += 2;
            } else {
                byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
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
            case ';' -> Optional.of("the path contains an encoded matrix parameter ('" + path.substring(at, at + 3)
                    + "')");
            default -> decoded < 0x20 || decoded == 0x7f
                    ? Optional.of("the path contains an encoded control character")
                    : Optional.empty();
        };
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
