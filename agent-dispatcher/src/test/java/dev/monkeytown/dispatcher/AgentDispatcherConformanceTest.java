package dev.monkeytown.dispatcher;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ServiceConformanceTest;

@QuarkusTest
class AgentDispatcherConformanceTest extends ServiceConformanceTest {

    @Override
    protected String serviceName() {
        return "agent-dispatcher";
    }

    @Override
    protected List<String> readinessChecks() {
        return List.of("state-store", "dispatch");
    }
}
