package dev.monkeytown.artifact;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class ArtifactServiceConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "artifact-service";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("state-store", "artifact-catalog");
    }
}
