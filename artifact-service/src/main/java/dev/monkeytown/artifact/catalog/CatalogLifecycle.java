package dev.monkeytown.artifact.catalog;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Reads the catalog when the service starts; while the store cannot be read, keeps trying in the background, and the
 * registry answers 503 (readiness says why) rather than serve from nothing.
 */
@Singleton
public class CatalogLifecycle {

    private static final Duration FIRST_TRY = Duration.ofSeconds(5);

    private final Catalog catalog;
    private final PullLog pulls;
    private volatile Cancellable retrying;

    CatalogLifecycle(Catalog catalog, PullLog pulls) {
        this.catalog = catalog;
        this.pulls = pulls;
    }

    void start(@Observes StartupEvent event) {
        try {
            // usually done here, before the first request: a local repository or a reachable GitHub answers at once
            catalog.load(FIRST_TRY);
            Log.infof("Registry records read: %d repositories", catalog.repositories().size());
            return;
        } catch (RuntimeException e) {
            Log.warnf("Registry records not read at start, retrying in the background: %s", e.toString());
        }
        retrying = Uni.createFrom().item(() -> {
            catalog.load(Duration.ofSeconds(60));
            return catalog.repositories().size();
        }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(e -> Log.warnf("Registry records not read yet, retrying: %s", e.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .subscribe().with(n -> Log.infof("Registry records read: %d repositories", n),
                        e -> Log.errorf("Registry records could not be read: %s", e.toString()));
    }

    /** A catalog marked stale (a commit's outcome unknown) is re-read even when no request comes to do it. */
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadIfStale() {
        if (catalog.stale()) {
            try {
                catalog.reloadAll();
                Log.infof("Registry records read again after a commit whose outcome was unknown");
            } catch (RuntimeException e) {
                Log.warnf("Registry records not read again yet, retrying: %s", e.toString());
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable current = retrying;
        if (current != null) {
            current.cancel();
        }
        try {
            pulls.flush();
        } catch (RuntimeException e) {
            Log.warnf("Pull counts of the last interval not recorded at shutdown: %s", e.toString());
        }
    }
}
