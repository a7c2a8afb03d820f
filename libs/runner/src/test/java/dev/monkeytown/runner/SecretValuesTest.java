package dev.monkeytown.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretValuesTest {

    @TempDir
    Path temp;

    @Test
    void propertiesNamedAsSecretsAreSecrets() {
        for (String name : List.of("monkeytown.internal.token", "MONKEYTOWN_INTERNAL_TOKEN", "monkeytown.github.token",
                "MONKEYTOWN_GITHUB_TOKEN", "monkeytown.gateway.webhooks.secrets", "MONKEYTOWN_GATEWAY_WEBHOOKS_SECRETS",
                "quarkus.datasource.password", "quarkus.http.ssl.certificate.key-store-password", "GITHUB_TOKEN",
                "app.private-key", "service.api-key")) {
            assertTrue(SecretValues.namesASecret(name), name);
        }
        for (String name : List.of("monkeytown.gateway.auth.tokens.local-admin.sha256",
                "monkeytown.gateway.auth.tokens.local-admin.role", "monkeytown.github.login", "PATH",
                "monkeytown.dispatcher.runner", "quarkus.application.name", "token.count")) {
            assertFalse(SecretValues.namesASecret(name), name);
        }
        assertTrue(SecretValues.namesASecretFile("monkeytown.gateway.auth.tokens-file"));
        assertFalse(SecretValues.namesASecretFile("monkeytown.gateway.auth.tokens.local-admin.sha256"));
    }

    @Test
    void aServicesSecretsComeFromItsConfigurationAndTokensFiles() throws Exception {
        Path tokens = Files.writeString(temp.resolve("tokens"), "alice-token-1234\n\nbob-token-5678\n");
        Map<String, String> config = Map.of(
                "monkeytown.internal.token", "internal-0123456789",
                "monkeytown.gateway.webhooks.secrets", "hook-one-secret, hook-two-secret",
                "monkeytown.gateway.auth.tokens.admin.sha256", "9f86d081884c7d659a2feaa0c55ad015",
                "monkeytown.gateway.auth.tokens.admin.role", "admin",
                "monkeytown.gateway.auth.tokens-file", tokens.toString(),
                "monkeytown.github.login", "monkeytown-bot");

        SecretValues secrets = SecretValues.fromProperties(config.keySet(),
                name -> Optional.ofNullable(config.get(name)));

        assertEquals(Set.of("internal-0123456789", "hook-one-secret, hook-two-secret", "hook-one-secret",
                "hook-two-secret", "alice-token-1234", "bob-token-5678"), secrets.values());
    }

    @Test
    void theFilesSecretsAreReadFromAreNamedForTheSandboxToHide() {
        Map<String, String> config = Map.of("monkeytown.gateway.auth.tokens-file", "/run/tokens",
                "monkeytown.deploy.secrets-file", " /run/deploy ", "monkeytown.other.secrets-file", " ",
                "monkeytown.internal.token", "internal-0123456789", "monkeytown.home", "/data");

        assertEquals(Set.of(Path.of("/run/tokens"), Path.of("/run/deploy")), Set.copyOf(SecretValues.filesNamedIn(
                config.keySet(), name -> Optional.ofNullable(config.get(name)))));
    }

    @Test
    void valuesTooShortToBeSecretsAreNotMasked() {
        SecretValues secrets = SecretValues.of(List.of("abc", "", "   ", "abcd"));
        assertEquals(Set.of("abcd"), secrets.values());
        assertEquals("abc *** ***e", secrets.mask("abc abcd abcde"));
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() {
        assertEquals("[***]", SecretValues.of(List.of("abcd", "abcdefgh")).mask("[abcdefgh]"));
    }

    @Test
    void itsTextNeverShowsAValue() {
        assertFalse(SecretValues.of(List.of("hunter2-long")).toString().contains("hunter2"));
    }
}
