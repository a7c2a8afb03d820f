package dev.monkeytown.websocket.hub;

import java.util.Optional;

/**
 * What a browser can subscribe to. Each topic has exactly one producer, so the producer's {@code (epoch, offset)} is
 * the topic's position and a client can resume on any replica.
 */
public enum Topic {
    /** Agent declarations and their changes. */
    AGENTS("agents", "agent.", "agent-dispatcher"),
    /** Run lifecycle: queued, started, finished. */
    RUNS("runs", "run.", "agent-dispatcher"),
    /** Builds and their steps. */
    BUILDS("builds", "build.", "build-service"),
    /** Deployments and reverts. */
    DEPLOYMENTS("deployments", "deployment.", "deploy-service"),
    /** Stored and expired artifacts. */
    ARTIFACTS("artifacts", "artifact.", "artifact-service"),
    /** Alerts such as consecutive build failures. */
    ALERTS("alerts", "alert.", "build-service");

    private final String wireName;
    private final String typePrefix;
    private final String producer;

    Topic(String wireName, String typePrefix, String producer) {
        this.wireName = wireName;
        this.typePrefix = typePrefix;
        this.producer = producer;
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

    public static Optional<Topic> ofEventType(String type) {
        for (Topic topic : values()) {
            if (type != null && type.startsWith(topic.typePrefix)) {
                return Optional.of(topic);
            }
        }
        return Optional.empty();
    }
}
