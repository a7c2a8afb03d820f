package dev.monkeytown.deploy.service;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Starts the deployment loop and the automatic deploys. GitHub mode is not wired, and deploy-service does not start
 * there rather than keep a state branch it cannot act on.
 */
@Singleton
public class DeployStartup {

    private final StateStoreConfig state;
    private final DeployLifecycle lifecycle;

    DeployStartup(StateStoreConfig state, DeployLifecycle lifecycle) {
        this.state = state;
        this.lifecycle = lifecycle;
    }

    void start(@Observes StartupEvent event) {
        if (state.backend() != StateStoreConfig.Backend.LOCAL) {
            throw new IllegalStateException(DeployBeans.NOT_WIRED);
        }
        lifecycle.start();
    }

    @Scheduled(every = "${monkeytown.deploy.poll-interval:5s}", delayed = "${monkeytown.deploy.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        lifecycle.poll();
    }
}
