package dev.monkeytown.deploy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.deploy.api.BuildServiceDouble;
import dev.monkeytown.kit.testing.ForwardedPushBodyTest;

@QuarkusTest
@QuarkusTestResource(BuildServiceDouble.class)
class DeployServicePushBodyTest extends ForwardedPushBodyTest {
}
