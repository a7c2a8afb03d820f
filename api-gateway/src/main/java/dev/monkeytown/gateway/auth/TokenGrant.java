package dev.monkeytown.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.monkeytown.gateway.pipeline.Principal;
import dev.monkeytown.gateway.pipeline.Role;

/**
 * One configured token: the digest a presented token must hash to, and who that makes the caller.
 *
 * @param repositories repository globs the token is limited to (empty: all), forwarded as {@code X-Monkeytown-Scope}
 */
record TokenGrant(String user, Role role, byte[] sha256, List<String> repositories) {

    /** A repository glob as artifact-service reads it: name characters and {@code *}; no comma, space or newline. */
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._/*-]+");

    private static final String PREFIX = "sha256:";

    TokenGrant {
        if (user.isBlank() || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("token user name must be non-empty without spaces: '" + user + "'");
        }
        if (role == Role.ANONYMOUS) {
            throw new IllegalArgumentException("token of " + user + ": role must be viewer, operator or admin");
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("token of " + user + ": digest must be 32 bytes");
        }
        for (String glob : repositories) {
            if (!GLOB.matcher(glob).matches()) {
                throw new IllegalArgumentException("token of " + user + ": repository pattern '" + glob
                        + "' may hold only letters, digits, '.', '_', '-', '/' and '*'");
            }
        }
        repositories = List.copyOf(repositories);
    }

    /** Parses config text of an unscoped token. */
    static TokenGrant parse(String user, String roleText, String digestText) {
        return parse(user, roleText, digestText, List.of());
    }

    /** Parses config text; the messages name the user, never a digest (harmless, but it keeps logs boring). */
    static TokenGrant parse(String user, String roleText, String digestText, List<String> repositories) {
        Role role;
        try {
            role = Role.parse(roleText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "token of " + user + ": role '" + roleText + "' is not viewer, operator or admin");
        }
        String hex = digestText.trim().toLowerCase(Locale.ROOT);
        if (hex.startsWith(PREFIX)) {
            hex = hex.substring(PREFIX.length());
        }
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("token of " + user + ": sha256 must be 64 hex digits");
        }
        return new TokenGrant(user, role, HexFormat.of().parseHex(hex), repositories.stream().map(String::trim)
                .filter(glob -> !glob.isEmpty()).toList());
    }

    Principal principal() {
        return new Principal(user, role, repositories);
    }

    static byte[] digestOf(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
