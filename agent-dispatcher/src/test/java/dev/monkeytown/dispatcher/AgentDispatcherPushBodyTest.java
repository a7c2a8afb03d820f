package dev.monkeytown.dispatcher;

import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.kit.testing.ForwardedPushBodyTest;

@QuarkusTest
class AgentDispatcherPushBodyTest extends ForwardedPushBodyTest {
}
