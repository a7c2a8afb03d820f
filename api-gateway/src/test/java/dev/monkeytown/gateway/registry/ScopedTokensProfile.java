package dev.monkeytown.gateway.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Tokens limited to some repositories: {@code sam} in config ({@code .repositories}), {@code tia} in the tokens file (a
 * fourth column), next to the unscoped test tokens.
 */
public class ScopedTokensProfile implements QuarkusTestProfile {

    static final String SCOPED_OPERATOR = "scoped-operator-token-0123456789";
    static final String SCOPED_VIEWER = "scoped-viewer-token-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        RegistryTestProfile.tokens(config);
        config.put("monkeytown.gateway.auth.tokens.sam.sha256", RegistryTokens.sha256Hex(SCOPED_OPERATOR));
        config.put("monkeytown.gateway.auth.tokens.sam.role", "operator");
        config.put("monkeytown.gateway.auth.tokens.sam.repositories", "builds/**,tools/cli");
        try {
            Path file = Files.createTempFile("gateway-scoped-tokens", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, "tia viewer sha256:" + RegistryTokens.sha256Hex(SCOPED_VIEWER) + " builds/web\n");
            config.put("monkeytown.gateway.auth.tokens-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("monkeytown.gateway.rate-limit.enabled", "false");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RegistryStub.class));
    }
}
