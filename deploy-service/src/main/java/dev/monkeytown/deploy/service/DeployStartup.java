package dev.monkeytown.deploy.service;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/** Starts the deployment loop and the automatic deploys, saying where deployments run ({@link DeployMode}). */
@Singleton
public class DeployStartup {

    private final DeployMode mode;
    private final Instance<DeployLifecycle> lifecycle;

    DeployStartup(DeployMode mode, Instance<DeployLifecycle> lifecycle) {
        this.mode = mode;
        this.lifecycle = lifecycle;
    }

    void start(@Observes StartupEvent event) {
        Log.info(mode.describe());
        lifecycle.get().start();
    }

    @Scheduled(every = "${monkeytown.deploy.poll-interval:5s}", delayed = "${monkeytown.deploy.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        lifecycle.get().poll();
    }
}
