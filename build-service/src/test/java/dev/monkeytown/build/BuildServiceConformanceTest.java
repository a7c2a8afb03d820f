package dev.monkeytown.build;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class BuildServiceConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "build-service";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("state-store", "builds");
    }
}
