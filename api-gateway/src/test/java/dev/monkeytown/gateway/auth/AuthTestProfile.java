package dev.monkeytown.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.gateway.proxy.ProxyDownstreams;

/**
 * Test tokens in config and in a tokens file checked every 100 ms; no rate limits, so the matrix never meets a 429. The
 * services behind are {@link ProxyDownstreams}' echo, so an allowed request is one a service answered.
 */
public class AuthTestProfile implements QuarkusTestProfile {

    static final String FILE_OPERATOR = "file-operator-token-0123456789";
    static final Path TOKENS_FILE;

    static {
        try {
            TOKENS_FILE = Files.createTempFile("gateway-tokens", ".txt");
            TOKENS_FILE.toFile().deleteOnExit();
            Files.writeString(TOKENS_FILE, "# a mounted Secret\nfred operator sha256:"
                    + sha256Hex(FILE_OPERATOR) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("monkeytown.gateway.auth.tokens.vic.sha256", sha256Hex(TestTokens.VIEWER));
        config.put("monkeytown.gateway.auth.tokens.vic.role", "viewer");
        config.put("monkeytown.gateway.auth.tokens.olga.sha256", sha256Hex(TestTokens.OPERATOR));
        config.put("monkeytown.gateway.auth.tokens.olga.role", "operator");
        config.put("monkeytown.gateway.auth.tokens.ada.sha256", sha256Hex(TestTokens.ADMIN));
        config.put("monkeytown.gateway.auth.tokens.ada.role", "admin");
        config.put("monkeytown.gateway.auth.tokens-file", TOKENS_FILE.toString());
        config.put("monkeytown.gateway.auth.tokens-file-check-interval", "100ms");
        config.put("monkeytown.gateway.rate-limit.enabled", "false");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxyDownstreams.class));
    }

    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
