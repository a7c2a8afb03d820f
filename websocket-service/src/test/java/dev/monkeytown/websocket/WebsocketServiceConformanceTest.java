package dev.monkeytown.websocket;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class WebsocketServiceConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "websocket-service";
    }
}
