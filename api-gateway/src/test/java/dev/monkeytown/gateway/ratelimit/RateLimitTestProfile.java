package dev.monkeytown.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.gateway.auth.TestTokens;

/**
 * The spec's limits on a hand-turned clock. The test client connects from 127.0.0.1, trusted as a proxy, so its
 * {@code X-Forwarded-For} plays many clients; a raw socket from 127.0.0.2 is an untrusted client.
 */
public class RateLimitTestProfile implements QuarkusTestProfile {

    static final String WEBHOOK_SECRET = "rate-limit-test-hook-secret";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("monkeytown.gateway.auth.tokens.olga.sha256", sha256Hex(TestTokens.OPERATOR));
        config.put("monkeytown.gateway.auth.tokens.olga.role", "operator");
        config.put("monkeytown.gateway.rate-limit.enabled", "true");
        config.put("monkeytown.gateway.rate-limit.global-per-minute", "1000");
        config.put("monkeytown.gateway.rate-limit.per-ip-per-minute", "100");
        config.put("monkeytown.gateway.rate-limit.per-user-per-minute", "500");
        config.put("monkeytown.gateway.rate-limit.trusted-proxies", "127.0.0.1/32,::1/128");
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("monkeytown.gateway.webhooks.secrets", WEBHOOK_SECRET);
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ManualRateLimitClock.class);
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
