package dev.monkeytown.build.service;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Starts the build loop and the branch-head poll when this instance runs builds ({@link BuildsMode}); otherwise
 * creates none of the local machinery, so GitHub mode starts with its state branch alone.
 */
@Singleton
public class BuildStartup {

    private final BuildsMode mode;
    private final Instance<BuildLifecycle> lifecycle;

    BuildStartup(BuildsMode mode, Instance<BuildLifecycle> lifecycle) {
        this.mode = mode;
        this.lifecycle = lifecycle;
    }

    void start(@Observes StartupEvent event) {
        if (!mode.runsBuilds()) {
            Log.warn(mode.whyNot());
            return;
        }
        lifecycle.get().start();
    }

    @Scheduled(every = "${monkeytown.build.poll-interval:5s}", delayed = "${monkeytown.build.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (mode.runsBuilds()) {
            lifecycle.get().poll();
        }
    }
}
