package dev.monkeytown.build.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.monkeytown.build.outputs.TestRegistry;

/** A real OCI registry (CNCF distribution) standing in for artifact-service's /v2 API. */
public class RegistryResource implements QuarkusTestResourceLifecycleManager {

    static volatile String base;
    private TestRegistry registry;

    @Override
    public Map<String, String> start() {
        try {
            registry = TestRegistry.start(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "registry-"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        base = registry.base().toString();
        return Map.of("monkeytown.build.artifacts.url", base);
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
    }
}
