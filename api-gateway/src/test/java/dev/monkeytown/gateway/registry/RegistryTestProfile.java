package dev.monkeytown.gateway.registry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The gateway in front of {@link RegistryStub} with the test tokens, anonymous reads left on (the default: {@code /v2/}
 * must need a token all the same), a 16 MB blob limit so a test can pass it cheaply, and no rate limits (
 * {@code RateLimitTest} covers {@code /v2/} there).
 */
public class RegistryTestProfile implements QuarkusTestProfile {

    static final long ARTIFACT_BODY = 16 * 1024 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        tokens(config);
        config.put("monkeytown.gateway.auth.anonymous-reads", "true");
        config.put("monkeytown.gateway.limits.artifact-body", "16M");
        config.put("monkeytown.gateway.rate-limit.enabled", "false");
        config.put("monkeytown.gateway.openapi.cache-ttl", "0s");
        // shorter than RegistryStub's slow answers; the wait after a blob upload longer
        config.put("monkeytown.gateway.proxy.response-timeout", "2s");
        config.put("monkeytown.gateway.proxy.blob-response-timeout", "20s");
        return config;
    }

    /** Users vic (viewer), olga (operator), ada (admin); inlined, as a profile sees only its own class loader. */
    static void tokens(Map<String, String> config) {
        config.put("monkeytown.gateway.auth.tokens.vic.sha256", RegistryTokens.sha256Hex(RegistryTokens.VIEWER));
        config.put("monkeytown.gateway.auth.tokens.vic.role", "viewer");
        config.put("monkeytown.gateway.auth.tokens.olga.sha256", RegistryTokens.sha256Hex(RegistryTokens.OPERATOR));
        config.put("monkeytown.gateway.auth.tokens.olga.role", "operator");
        config.put("monkeytown.gateway.auth.tokens.ada.sha256", RegistryTokens.sha256Hex(RegistryTokens.ADMIN));
        config.put("monkeytown.gateway.auth.tokens.ada.role", "admin");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RegistryStub.class));
    }
}
