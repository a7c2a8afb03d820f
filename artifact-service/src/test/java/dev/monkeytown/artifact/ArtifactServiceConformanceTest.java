package dev.monkeytown.artifact;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class ArtifactServiceConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "artifact-service";
    }
}
