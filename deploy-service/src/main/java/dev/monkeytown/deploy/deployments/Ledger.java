package dev.monkeytown.deploy.deployments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The deployments of one environment and the rules between them. Every method that decides something returns the
 * records it would change and changes nothing: the engine records them on the state branch, and only then
 * {@link #put}s them here, so what this holds is always what was committed. Ids sort by creation time, so "newest" is
 * "greatest id".
 */
public final class Ledger {

    /** What a failed deployment leads to under {@code onFailure: revert}. */
    public sealed interface RevertPlan {

        /** Revert to this deployment's tree. */
        record To(Deployment lastGood) implements RevertPlan {
        }

        /** No revert is possible: alert and pause the environment. */
        record Impossible(String why) implements RevertPlan {
        }

        /** Already reverted once: nothing more. */
        record AlreadyDone(String revert) implements RevertPlan {
        }
    }

    private final String environment;
    private final NavigableMap<String, Deployment> deployments = new TreeMap<>();

    public Ledger(String environment) {
        this.environment = environment;
    }

    public Ledger(String environment, Collection<Deployment> recorded) {
        this(environment);
        recorded.forEach(this::put);
    }

    public String environment() {
        return environment;
    }

    public void put(Deployment deployment) {
        if (!deployment.environment().equals(environment)) {
            throw new IllegalArgumentException("deployment " + deployment.id() + " is for " + deployment.environment()
                    + ", not " + environment);
        }
        deployments.put(deployment.id(), deployment);
    }

    public Optional<Deployment> find(String id) {
        return Optional.ofNullable(deployments.get(id));
    }

    /** Newest first. */
    public List<Deployment> newestFirst() {
        return List.copyOf(deployments.descendingMap().values());
    }

    /**
     * A new request: it and every older queued or waiting deployment, made {@code inactive} — the newest queued wins,
     * and the losers say which one won.
     */
    public List<Deployment> request(Deployment requested, Instant at) {
        List<Deployment> changes = new ArrayList<>();
        for (Deployment older : deployments.values()) {
            if (older.state().isPending()) {
                changes.add(older.to(DeploymentState.INACTIVE, at, "superseded by the newer deployment "
                        + requested.id() + " before it started"));
            }
        }
        changes.add(requested);
        return changes;
    }

    /** The deployment holding the environment (waiting, in progress or verifying), if any. */
    public Optional<Deployment> active() {
        return deployments.values().stream().filter(d -> d.state().isActive()).findFirst();
    }

    /** The deployment to start now: the newest queued one, if nothing holds the environment. */
    public Optional<Deployment> startable() {
        if (active().isPresent()) {
            return Optional.empty();
        }
        return deployments.descendingMap().values().stream().filter(d -> d.state() == DeploymentState.QUEUED)
                .findFirst();
    }

    /** {@code id} passed its health check: it succeeds and the previous success becomes inactive. */
    public List<Deployment> succeeded(String id, Instant at) {
        return succeeded(require(id), at, "healthy");
    }

    /**
     * {@code running} (this ledger's deployment, possibly a step further than recorded: GitHub reported it in progress
     * and successful at once) succeeded: the previous success becomes inactive.
     */
    public List<Deployment> succeeded(Deployment running, Instant at, String why) {
        String id = running.id();
        Deployment done = running.to(DeploymentState.SUCCESS, at, why);
        List<Deployment> changes = new ArrayList<>();
        for (Deployment other : deployments.values()) {
            if (other.state() == DeploymentState.SUCCESS && !other.id().equals(id)) {
                changes.add(other.to(DeploymentState.INACTIVE, at, "replaced by deployment " + id));
            }
        }
        changes.add(done);
        return changes;
    }

    /**
     * Last good: the newest deployment that passed health and was not reverted since (a {@code success} that an
     * operator reverted away from is not good).
     */
    public Optional<Deployment> lastGood() {
        return lastGoodBefore(null);
    }

    private Optional<Deployment> lastGoodBefore(String excluded) {
        return deployments.descendingMap().values().stream()
                .filter(d -> d.healthy() && d.revertedBy() == null && !d.id().equals(excluded)).findFirst();
    }

    /**
     * What the environment runs: the newest deployment that got as far as its commit on the environment branch (it
     * may have failed there).
     */
    public Optional<Deployment> current() {
        return deployments.descendingMap().values().stream().filter(d -> d.environmentCommit() != null).findFirst();
    }

    /**
     * {@code onFailure: revert} for a deployment that ended in failure or error: once per failed deployment, never a
     * revert of a revert (a failing revert alerts and pauses), and only to a deployment other than the failed one.
     */
    public RevertPlan revertPlan(Deployment failed) {
        Optional<Deployment> done = deployments.values().stream().filter(d -> failed.id().equals(d.revertOf()))
                .findFirst();
        if (done.isPresent()) {
            return new RevertPlan.AlreadyDone(done.get().id());
        }
        if (failed.kind() == DeploymentKind.REVERT) {
            return new RevertPlan.Impossible("the revert " + failed.id() + " itself failed");
        }
        return lastGoodBefore(failed.id()).<RevertPlan>map(RevertPlan.To::new)
                .orElseGet(() -> new RevertPlan.Impossible("there is no last good deployment to revert to"));
    }

    /**
     * An operator's revert: to {@code to} (a deployment of this environment that passed health and was not reverted),
     * or to the last good deployment other than the current one.
     */
    public Deployment revertTarget(Optional<String> to) {
        if (to.isPresent()) {
            Deployment target = deployments.get(to.get());
            if (target == null) {
                throw new IllegalArgumentException("deployment " + to.get() + " is not a deployment of " + environment);
            }
            if (!target.healthy() || target.revertedBy() != null) {
                throw new IllegalStateException("deployment " + to.get() + " is not good: "
                        + (target.healthy() ? "it was reverted by " + target.revertedBy() : "it never passed health"));
            }
            return target;
        }
        String current = current().map(Deployment::id).orElse(null);
        return lastGoodBefore(current).orElseThrow(
                () -> new IllegalStateException(environment + " has no good deployment to revert to other than what"
                        + " it runs"));
    }

    /** Successes over all deployments that ran to an end since {@code from}; empty when none did. */
    public Optional<Double> successRate(Instant from) {
        long outcomes = 0;
        long successes = 0;
        for (Deployment d : deployments.values()) {
            if (d.finishedAt() != null && !d.finishedAt().isBefore(from)) {
                outcomes++;
                if (d.healthy()) {
                    successes++;
                }
            }
        }
        return outcomes == 0 ? Optional.empty() : Optional.of((double) successes / outcomes);
    }

    private Deployment require(String id) {
        Deployment found = deployments.get(id);
        if (found == null) {
            throw new IllegalArgumentException("no deployment " + id + " in " + environment);
        }
        return found;
    }
}
