package dev.monkeytown.gateway.openapi;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Fetches the services' documents on every {@code /q/openapi} request, so each test sees the stubs it set up rather
 * than an earlier test's cached answer. The suite-wide WireMock ({@code DownstreamServices}) plays the services.
 */
public class PublicApiProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("monkeytown.gateway.openapi.cache-ttl", "0s",
                "monkeytown.gateway.openapi.fetch-timeout", "500ms");
    }
}
