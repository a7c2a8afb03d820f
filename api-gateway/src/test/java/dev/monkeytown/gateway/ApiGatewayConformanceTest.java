package dev.monkeytown.gateway;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class ApiGatewayConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "api-gateway";
    }
}
