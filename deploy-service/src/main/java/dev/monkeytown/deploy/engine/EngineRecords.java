package dev.monkeytown.deploy.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.logging.Log;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.EnvironmentStatus;
import dev.monkeytown.deploy.deployments.Ledger;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.StateBranch;

/**
 * The engine's records, owned by its loop thread: one {@link Ledger} and one status per environment, changed only by
 * {@link #commit} after the state branch has the change, and published as an immutable {@link EngineView} for every
 * other thread.
 */
final class EngineRecords {

    private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

    private final StateBranch branch;
    private final DeploymentBook book;
    private final Map<String, Ledger> ledgers = new HashMap<>();
    private final Map<String, EnvironmentStatus> statuses = new HashMap<>();
    private volatile EngineView view = EngineView.EMPTY;

    EngineRecords(StateBranch branch, DeploymentBook book) {
        this.branch = branch;
        this.book = book;
    }

    /** Reads every recorded deployment and status back; one that cannot be read is logged and skipped. */
    void restore() {
        DeploymentBook.Recorded recorded = book.recorded(branch);
        recorded.unreadable().forEach(path -> Log.errorf("Could not read %s on the state branch; skipped", path));
        recorded.deployments().forEach(d -> ledger(d.environment()).put(d));
        recorded.statuses().forEach(s -> statuses.put(s.environment(), s));
        publish();
    }

    EngineView view() {
        return view;
    }

    Collection<Ledger> ledgers() {
        return List.copyOf(ledgers.values());
    }

    Ledger ledger(String environment) {
        return ledgers.computeIfAbsent(environment, Ledger::new);
    }

    EnvironmentStatus status(String environment) {
        return statuses.getOrDefault(environment, EnvironmentStatus.running(environment));
    }

    /**
     * Records the changes and only then keeps them; throws (changing nothing here) when the commit fails. Each
     * deployment is written only over the revision this loop holds, so a record changed behind its back is refused.
     */
    void commit(String message, Actor actor, List<Deployment> deployments, List<EnvironmentStatus> changedStatuses) {
        Map<String, Long> bases = new HashMap<>();
        deployments.forEach(d -> bases.put(d.id(), ledger(d.environment()).find(d.id()).map(Deployment::revision)
                .orElse(-1L)));
        branch.apply(new Change(message, actor, workspace -> {
            deployments.forEach(d -> book.write(workspace, d, bases.get(d.id())));
            changedStatuses.forEach(s -> book.write(workspace, s));
        })).await().atMost(COMMIT_WAIT);
        deployments.forEach(d -> ledger(d.environment()).put(d));
        changedStatuses.forEach(s -> statuses.put(s.environment(), s));
        publish();
    }

    private void publish() {
        Map<String, Deployment> all = new HashMap<>();
        ledgers.values().forEach(l -> l.newestFirst().forEach(d -> all.put(d.id(), d)));
        view = new EngineView(all, statuses);
    }
}
