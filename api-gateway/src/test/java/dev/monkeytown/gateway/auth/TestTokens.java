package dev.monkeytown.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Throwaway tokens for gateway tests, and the config that makes a gateway accept them (as digests, like prod). A
 * {@code QuarkusTestProfile} is loaded in a class loader that sees only the profile itself, so profiles use the
 * (compile-time inlined) constants and hash them on their own instead of calling {@link #config()}.
 */
public final class TestTokens {

    public static final String VIEWER = "viewer-token-0123456789abcdef";
    public static final String OPERATOR = "operator-token-0123456789abcdef";
    public static final String ADMIN = "admin-token-0123456789abcdef";

    private TestTokens() {
    }

    /** Config for users {@code vic} (viewer), {@code olga} (operator) and {@code ada} (admin). */
    public static Map<String, String> config() {
        return Map.of(
                "monkeytown.gateway.auth.tokens.vic.sha256", sha256Hex(VIEWER),
                "monkeytown.gateway.auth.tokens.vic.role", "viewer",
                "monkeytown.gateway.auth.tokens.olga.sha256", sha256Hex(OPERATOR),
                "monkeytown.gateway.auth.tokens.olga.role", "operator",
                "monkeytown.gateway.auth.tokens.ada.sha256", sha256Hex(ADMIN),
                "monkeytown.gateway.auth.tokens.ada.role", "admin");
    }

    public static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
