package dev.monkeytown.state.quarkus;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.StateBranch;

/**
 * Keeps the in-memory view close to the branch head when other replicas write. A failed refresh is not an error here:
 * the view keeps serving what it has and readiness reports the store.
 */
@ApplicationScoped
public class StateViewRefresh {

    private final StateBranch branch;

    StateViewRefresh(StateBranch branch) {
        this.branch = branch;
    }

    @Scheduled(every = "${monkeytown.state.refresh-interval:10s}", delayed = "${monkeytown.state.refresh-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return branch.refresh()
                .onFailure().invoke(failure -> Log.debugf("State view refresh failed: %s", failure.toString()))
                .onFailure().recoverWithNull();
    }
}
