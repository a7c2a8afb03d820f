package dev.monkeytown.websocket.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which topic an event lands in is decided by who produced it and its type, once. */
class TopicTest {

    @Test
    void deploymentAlertsAndEnvironmentEventsReachTheDeploymentsTopic() {
        assertEquals(Optional.of(Topic.DEPLOYMENTS), Topic.of("deploy-service", "alert.raised"));
        assertEquals(Optional.of(Topic.DEPLOYMENTS), Topic.of("deploy-service", "environment.reverted"));
        assertEquals(Optional.of(Topic.DEPLOYMENTS), Topic.of("deploy-service", "deployment.success"));
    }

    @Test
    void buildAlertsStayOnTheAlertsTopic() {
        assertEquals(Optional.of(Topic.ALERTS), Topic.of("build-service", "alert.raised"));
        assertEquals(Optional.of(Topic.BUILDS), Topic.of("build-service", "build.fixed"));
    }

    @Test
    void aTypeNoTopicOfItsProducerTakesIsDropped() {
        assertEquals(Optional.empty(), Topic.of("artifact-service", "build.succeeded"));
        assertEquals(Optional.empty(), Topic.of("agent-dispatcher", "alert.raised"));
        assertEquals(Optional.empty(), Topic.of("deploy-service", null));
    }
}
