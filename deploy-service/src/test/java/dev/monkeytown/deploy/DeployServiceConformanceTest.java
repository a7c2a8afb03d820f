package dev.monkeytown.deploy;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class DeployServiceConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "deploy-service";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("state-store", "deployments");
    }
}
