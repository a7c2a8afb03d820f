package dev.monkeytown.dispatcher;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class AgentDispatcherConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "agent-dispatcher";
    }
}
