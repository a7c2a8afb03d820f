package dev.monkeytown.build;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.build.api.RegistryResource;
import dev.monkeytown.kit.testing.ForwardedPushBodyTest;

@QuarkusTest
@QuarkusTestResource(RegistryResource.class)
class BuildServicePushBodyTest extends ForwardedPushBodyTest {
}
