package dev.monkeytown.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import dev.monkeytown.gateway.pipeline.Principal;
import dev.monkeytown.gateway.pipeline.Role;

/** One configured token: the digest a presented token must hash to, and who that makes the caller. */
record TokenGrant(String user, Role role, byte[] sha256) {

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
    }

    /** Parses config text; the messages name the user, never a digest (harmless, but it keeps logs boring). */
    static TokenGrant parse(String user, String roleText, String digestText) {
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
        return new TokenGrant(user, role, HexFormat.of().parseHex(hex));
    }

    Principal principal() {
        return new Principal(user, role);
    }

    static byte[] digestOf(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
