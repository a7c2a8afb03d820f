package dev.monkeytown.deploy.deployments;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One deployment of a tree to an environment, stored as JSON on {@code monkeytown/state/deploy-service}. Immutable:
 * every step is a method that returns the next record with {@code revision + 1} and refuses a step its state does not
 * allow ({@link DeploymentState#next()}).
 *
 * @param sha the commit deployed (for a revert, the last good deployment's commit)
 * @param tree that commit's tree: what the environment branch's commit for this deployment holds
 * @param buildId the build of the first required pipeline whose outputs are deployed, if the environment requires one
 * @param startedAt when it went in progress
 * @param finishedAt when it ended in success, failure or error (kept when a success becomes inactive)
 * @param environmentCommit the commit on {@code environments/<env>} that records this deployment, once made
 * @param healthy whether it passed its health check (kept when a newer success makes it inactive)
 * @param revertOf for a revert, the deployment it reverted
 * @param lastGood for a revert, the last good deployment whose tree it restores
 * @param revertedBy the revert that took this deployment's tree off the environment (no longer last good)
 * @param reason why it is in its state, in words (failure, supersession, restart)
 * @param github the GitHub deployment and workflow run (GitHub mode; absent locally)
 * @param declared the environment's declaration it was requested under (command, health, onFailure)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployment(String id, String environment, String sha, String tree, DeploymentKind kind, String buildId,
        List<Artifact> artifacts, DeploymentState state, String requestedBy, Instant createdAt, Instant updatedAt,
        Instant startedAt, Instant finishedAt, String environmentCommit, Approval approval, boolean healthy, String revertOf,
        String lastGood,
        String revertedBy, String reason, GitHubLink github, long revision, Declared declared) {

    /**
     * What the environment declared when the deployment was requested, and what it runs: a later change to
     * environments.yaml applies to later deployments only. Absent on records made before it was kept.
     *
     * @param health absent when none was declared
     * @param onFailure {@code revert} or {@code alert}
     */
    public record Declared(String command, String health, String onFailure) {
        public Declared {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(onFailure, "onFailure");
        }
    }

    /** Where a deployment lives on GitHub, in GitHub mode. */
    public record GitHubLink(Long deploymentId, Long runId) {

        public static final GitHubLink NONE = new GitHubLink(null, null);

        public GitHubLink withRun(long id) {
            return new GitHubLink(deploymentId, id);
        }

        public GitHubLink withDeployment(long id) {
            return new GitHubLink(id, runId);
        }
    }

    public Deployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(kind, "kind");
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public static Deployment queued(String id, String environment, String sha, String tree, DeploymentKind kind,
            List<Artifact> artifacts, String requestedBy, Instant at) {
        String buildId = artifacts.isEmpty() ? null : artifacts.get(0).buildId();
        return new Deployment(id, environment, sha, tree, kind, buildId, artifacts, DeploymentState.QUEUED,
                requestedBy, at, at, null, null, null, null, false, null, null, null, null, null, 0, null);
    }

    /** A revert of {@code failed} (or of the environment's current deployment) to {@code good}'s tree. */
    public static Deployment revert(String id, Deployment revertOf, Deployment good, String requestedBy, Instant at) {
        return new Deployment(id, good.environment(), good.sha(), good.tree(), DeploymentKind.REVERT, good.buildId(),
                good.artifacts(), DeploymentState.QUEUED, requestedBy, at, at, null, null, null, null, false,
                revertOf == null ? null : revertOf.id(), good.id(), null, null, null, 0, null);
    }

    /** The next state, refused unless this state allows it. */
    public Deployment to(DeploymentState next, Instant at, String why) {
        if (!state.next().contains(next)) {
            throw new IllegalStateException("deployment " + id + " is " + state.jsonName() + " and cannot become "
                    + next.jsonName());
        }
        boolean nowHealthy = healthy || next == DeploymentState.SUCCESS;
        Instant started = next == DeploymentState.IN_PROGRESS ? at : startedAt;
        Instant finished = next.isOutcome() ? at : finishedAt;
        return new Deployment(id, environment, sha, tree, kind, buildId, artifacts, next, requestedBy, createdAt, at,
                started, finished, environmentCommit, approval, nowHealthy, revertOf, lastGood, revertedBy, why, github,
                revision + 1, declared);
    }

    public Deployment approved(Approval decision) {
        if (state != DeploymentState.WAITING) {
            throw new IllegalStateException("deployment " + id + " is " + state.jsonName() + ", not waiting for approval");
        }
        return new Deployment(id, environment, sha, tree, kind, buildId, artifacts, state, requestedBy, createdAt,
                decision.at(), startedAt, finishedAt, environmentCommit, decision, healthy, revertOf, lastGood, revertedBy,
                reason, github,
                revision + 1, declared);
    }

    public Deployment committed(String commit, Instant at) {
        return new Deployment(id, environment, sha, tree, kind, buildId, artifacts, state, requestedBy, createdAt, at,
                startedAt, finishedAt, commit, approval, healthy, revertOf, lastGood, revertedBy, reason, github, revision + 1,
                declared);
    }

    /**
     * Where it lives on GitHub now (the workflow run it was dispatched as, the deployment Actions made for it) and, in
     * words, what it waits for there; its state is unchanged.
     */
    public Deployment onGitHub(GitHubLink link, Instant at, String why) {
        return new Deployment(id, environment, sha, tree, kind, buildId, artifacts, state, requestedBy, createdAt, at,
                startedAt, finishedAt, environmentCommit, approval, healthy, revertOf, lastGood, revertedBy, why, link,
                revision + 1, declared);
    }

    public Deployment revertedBy(String revert, Instant at) {
        return new Deployment(id, environment, sha, tree, kind, buildId, artifacts, state, requestedBy, createdAt, at,
                startedAt, finishedAt, environmentCommit, approval, healthy, revertOf, lastGood, revert, reason, github,
                revision + 1, declared);
    }

    /** The same queued deployment, to run what the environment declares now (at its request). */
    public Deployment pinned(Declared declaration) {
        return new Deployment(id, environment, sha, tree, kind, buildId, artifacts, state, requestedBy, createdAt,
                updatedAt, startedAt, finishedAt, environmentCommit, approval, healthy, revertOf, lastGood, revertedBy,
                reason, github, revision, declaration);
    }

    /** Approved by an operator: the only deployments whose command sees the environment's secrets. */
    @JsonIgnore
    public boolean isApproved() {
        return approval != null && approval.approved();
    }
}
