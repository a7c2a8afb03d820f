package dev.monkeytown.state.quarkus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.fence.FencedOffException;
import dev.monkeytown.state.fence.FencedStateBranch;

/**
 * Takes the branch over as soon as the service starts, so the instance it replaces stops writing at once rather than
 * at this one's first change. Retried in the background while the store is unreachable; the first change would take
 * over anyway.
 */
@ApplicationScoped
public class WriterTakeover {

    private final CompletableFuture<Void> held = new CompletableFuture<>();
    private volatile Cancellable running;

    /**
     * Completes once this instance holds the branch (at once when single-writer is off). Work that reads the branch
     * to decide what to do — a dispatcher restoring its runs — must wait for it: everything committed after the
     * takeover is this instance's own, so a read from then on is complete.
     */
    public CompletionStage<Void> held() {
        return held.copy();
    }

    void start(@Observes StartupEvent event, StateBranch branch) {
        if (!(branch instanceof FencedStateBranch fenced)) {
            held.complete(null);
            return;
        }
        running = fenced.takeOver(Actor.service(branch.service()))
                .onFailure().invoke(failure -> Log.debugf("Writer takeover of %s not done yet: %s", branch.branch(),
                        failure.toString()))
                .onFailure(failure -> !(failure instanceof FencedOffException)).retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .subscribe().with(
                        receipt -> {
                            Log.infof("Writer %s holds %s", fenced.fence().instance(), branch.branch());
                            held.complete(null);
                        },
                        failure -> {
                            Log.warnf("Writer takeover of %s gave up: %s", branch.branch(), failure.toString());
                            held.completeExceptionally(failure);
                        });
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable current = running;
        if (current != null) {
            current.cancel();
        }
    }
}
