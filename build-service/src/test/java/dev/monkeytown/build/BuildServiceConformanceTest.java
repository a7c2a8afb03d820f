package dev.monkeytown.build;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class BuildServiceConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "build-service";
    }
}
