package dev.monkeytown.deploy.engine;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.EnvironmentStatus;
import dev.monkeytown.deploy.deployments.Ledger;

/**
 * What the engine has committed, as one immutable snapshot the API and the metrics read from any thread.
 *
 * @param deployments every deployment by id (ids sort by creation)
 */
public record EngineView(Map<String, Deployment> deployments, Map<String, EnvironmentStatus> statuses) {

    public static final EngineView EMPTY = new EngineView(Map.of(), Map.of());

    public EngineView {
        deployments = Collections.unmodifiableMap(new TreeMap<>(deployments));
        statuses = Map.copyOf(statuses);
    }

    public Optional<Deployment> deployment(String id) {
        return Optional.ofNullable(deployments.get(id));
    }

    public EnvironmentStatus status(String environment) {
        return statuses.getOrDefault(environment, EnvironmentStatus.running(environment));
    }

    public Ledger ledger(String environment) {
        List<Deployment> of = deployments.values().stream().filter(d -> d.environment().equals(environment)).toList();
        return new Ledger(environment, of);
    }

    /** Newest first. */
    public List<Deployment> newestFirst() {
        return ((TreeMap<String, Deployment>) new TreeMap<>(deployments)).descendingMap().values().stream().toList();
    }
}
