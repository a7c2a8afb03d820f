package dev.monkeytown.websocket.hub;

import java.util.List;
import java.util.Optional;

/**
 * What a browser can subscribe to. Each topic has exactly one producer, so the producer's {@code (epoch, offset)} is
 * the topic's position and a client can resume on any replica. An event's topic is decided by its producer and type
 * together: deploy-service's {@code alert.*} (a failed revert, a deployment that could not start) belongs with its
 * deployments, not on build-service's alerts topic, whose positions are build-service's.
 */
public enum Topic {
    /** Agent declarations and their changes. */
    AGENTS("agents", "agent-dispatcher", "agent."),
    /** Run lifecycle: queued, started, finished. */
    RUNS("runs", "agent-dispatcher", "run."),
    /** Builds and their steps. */
    BUILDS("builds", "build-service", "build."),
    /** Deployments, reverts, pauses and the alerts deploy-service raises about them. */
    DEPLOYMENTS("deployments", "deploy-service", "deployment.", "environment.", "alert."),
    /** Stored and expired artifacts. */
    ARTIFACTS("artifacts", "artifact-service", "artifact."),
    /** Alerts such as consecutive build failures. */
    ALERTS("alerts", "build-service", "alert.");

    private final String wireName;
    private final String producer;
    private final List<String> typePrefixes;

    Topic(String wireName, String producer, String... typePrefixes) {
        this.wireName = wireName;
        this.producer = producer;
        this.typePrefixes = List.of(typePrefixes);
    }

    public String wireName() {
        return wireName;
    }

    public String producer() {
        return producer;
    }

    public static Optional<Topic> named(String name) {
        for (Topic topic : values()) {
            if (topic.wireName.equals(name)) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }

    /** The topic of an event of this type from this producer; empty when none of the producer's topics takes it. */
    public static Optional<Topic> of(String producer, String type) {
        if (type == null) {
            return Optional.empty();
        }
        for (Topic topic : values()) {
            if (topic.producer.equals(producer) && topic.typePrefixes.stream().anyMatch(type::startsWith)) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }
}
