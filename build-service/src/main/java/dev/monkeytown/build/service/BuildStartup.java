package dev.monkeytown.build.service;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.monkeytown.state.fence.WriterFence;

/** Starts the build loop and the branch-head poll. */
@Singleton
public class BuildStartup {

    private final BuildLifecycle lifecycle;
    private final WriterFence fence;

    BuildStartup(BuildLifecycle lifecycle, WriterFence fence) {
        this.lifecycle = lifecycle;
        this.fence = fence;
    }

    void start(@Observes StartupEvent event) {
        // a stepped-down instance decides no more pushes (its engine closes the same way)
        fence.onStepDown(lifecycle::stop);
        lifecycle.start();
    }

    @Scheduled(every = "${monkeytown.build.poll-interval:5s}", delayed = "${monkeytown.build.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        lifecycle.poll();
    }
}
