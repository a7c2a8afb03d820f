package dev.monkeytown.deploy.engine;

import java.time.Duration;

import dev.monkeytown.deploy.deployments.Deployment;

/** Where committed changes go out: events, metrics. Called on the engine's loop after the commit is durable. */
public interface DeployAnnouncer {

    void publish(String type, String subject, Object data);

    /** A deployment ran to an end (success, failure or error). */
    void ended(Deployment deployment);

    /** A revert made the environment healthy again, {@code restore} after the failure it reverted was detected. */
    void restored(Deployment revert, Duration restore);
}
