package dev.monkeytown.build.service;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/** Starts the build loop and the branch-head poll. */
@Singleton
public class BuildStartup {

    private final BuildLifecycle lifecycle;

    BuildStartup(BuildLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    void start(@Observes StartupEvent event) {
        lifecycle.start();
    }

    @Scheduled(every = "${monkeytown.build.poll-interval:5s}", delayed = "${monkeytown.build.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        lifecycle.poll();
    }
}
