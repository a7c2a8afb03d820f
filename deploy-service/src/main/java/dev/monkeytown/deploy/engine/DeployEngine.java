package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;

import dev.monkeytown.deploy.deployments.Approval;
import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;
import dev.monkeytown.deploy.deployments.DeploymentState;
import dev.monkeytown.deploy.deployments.EnvironmentStatus;
import dev.monkeytown.deploy.deployments.EnvironmentStatus.Pause;
import dev.monkeytown.deploy.deployments.EnvironmentStatus.PauseReason;
import dev.monkeytown.deploy.deployments.Ledger;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.deploy.environment.EnvironmentCatalog;
import dev.monkeytown.deploy.gitops.EnvironmentBranch;
import dev.monkeytown.deploy.gitops.SourceRepository;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.StateBranch;

/**
 * The deployment loop. One thread owns every environment's {@link Ledger} and status; requests and runner reports are
 * steps on it. Each step's records are committed on {@code monkeytown/state/deploy-service} first, and only then are
 * they kept here, answered and announced — a step whose commit fails changed nothing. One deployment per environment
 * at a time; the newest queued one starts when the environment is free.
 *
 * <p>
 * Locally the engine runs each deployment's command and health check with the local runner. In GitHub mode
 * ({@link GitHubDeploys}) it commits the deployment on {@code environments/<env>} through the Git Data API and
 * dispatches {@code deploy-<env>.yml}, whose job names the GitHub environment: GitHub enforces the reviewers, wait
 * timers, branch policy and secrets, Actions creates the GitHub deployment, and its {@code deployment_status} webhooks
 * ({@link #onDeploymentStatus}) — or, when those are lost, reading the deployment's statuses back
 * ({@link #reconcile}) — move the record. Approval then belongs to GitHub: the record is {@code waiting} while the run
 * waits on reviewers, and the suite's approve and reject answer that approval happens on GitHub.
 */
public final class DeployEngine implements RunListener, AutoCloseable {

    /**
     * @param environmentsRoot where each environment lands locally ({@code <root>/<env>}, the command's
     *        {@code MONKEYTOWN_ENVIRONMENT_DIR})
     * @param artifactsRoot where a deployment's artifacts are put for its command ({@code <root>/<id>})
     */
    public record Settings(String service, Path environmentsRoot, Path artifactsRoot, Duration tickInterval) {
    }

    private final Settings settings;
    private final Supplier<EnvironmentCatalog> catalog;
    private final Runner runner;
    private final EnvironmentBranch gitops;
    private final SourceRepository repository;
    private final ArtifactStore artifacts;
    private final SecretsFile secrets;
    private final DeployAnnouncer announcer;
    private final Clock clock;
    private final SortableIds ids;
    private final ScheduledExecutorService loop;
    private final CompletableFuture<Void> restored = new CompletableFuture<>();

    /** Owned by the loop. */
    private final EngineRecords records;
    private final ReferenceReporter reporter;
    /** Runner reports not yet recorded (a failed commit is tried again at the next tick). */
    private final Map<String, RunOutcome> outcomes = new LinkedHashMap<>();
    /** Runs this engine handed to the runner and has not heard the end of (owned by the loop). */
    private final Set<String> liveRuns = new HashSet<>();
    /** GitHub mode: the deployments GitHub runs; null locally. */
    private final GitHubDeploys github;
    /** GitHub mode: queued deployments whose launch had no certain outcome, and when to try again (owned by the loop). */
    private final Map<String, Instant> launchAgainAt = new HashMap<>();
    /** When the deployments GitHub runs were last read back (owned by the loop). */
    private Instant reconciledAt = Instant.EPOCH;
    /** Whether what the previous instance left is still to be ended (owned by the loop). */
    private boolean cleanUpPending;

    public DeployEngine(Settings settings, StateBranch branch, DeploymentBook book,
            Supplier<EnvironmentCatalog> catalog, Runner runner, SourceRepository repository, ArtifactStore artifacts,
            SecretsFile secrets, ArtifactReferences references, DeployAnnouncer announcer, Clock clock) {
        this(settings, branch, book, catalog, runner, repository, artifacts, secrets, references, announcer, clock,
                Optional.empty());
    }

    /** @param github present in GitHub mode: deployments run as {@code deploy-<env>.yml} workflows */
    public DeployEngine(Settings settings, StateBranch branch, DeploymentBook book,
            Supplier<EnvironmentCatalog> catalog, Runner runner, SourceRepository repository, ArtifactStore artifacts,
            SecretsFile secrets, ArtifactReferences references, DeployAnnouncer announcer, Clock clock,
            Optional<GitHubDeploys> github) {
        this.settings = settings;
        this.github = github.orElse(null);
        this.records = new EngineRecords(branch, book);
        this.reporter = new ReferenceReporter(references);
        this.catalog = catalog;
        this.runner = runner;
        this.repository = repository;
        // on GitHub a head just moved can read as the old one for a moment: a lost race waits a little
        this.gitops = new EnvironmentBranch(repository, settings.service(), this.github == null ? 0 : 250);
        this.artifacts = artifacts;
        this.secrets = secrets;
        this.announcer = announcer;
        this.clock = clock;
        this.ids = new SortableIds(clock);
        this.loop = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "deploy-engine");
            thread.setDaemon(true);
            return thread;
        });
        runner.listen(this);
    }

    public EngineView view() {
        return records.view();
    }

    /** Whether deployments run on GitHub Actions, where GitHub, not the suite, approves them. */
    public boolean onGitHub() {
        return github != null;
    }

    /** Completes once the recorded deployments are back and the loop runs. */
    public CompletableFuture<Void> restored() {
        return restored;
    }

    /**
     * Reads the recorded deployments back (call once this instance holds the state branch) and starts the loop; the
     * restore itself writes nothing. A deployment that was in progress or verifying when the previous instance stopped
     * cannot be known to have finished: the loop's first turns end it as {@code error}, saying so, and its
     * environment's {@code onFailure} applies ({@link #endWhatThePreviousInstanceLeft}).
     */
    public void start() {
        loop.execute(() -> {
            try {
                records.restore();
                runner.takeOver();
                // the records the previous instance or the local backend left end from the loop, which tries again
                // until their commits land: a failing write here would leave the service restoring for ever
                cleanUpPending = true;
                restored.complete(null);
            } catch (RuntimeException e) {
                Log.errorf(e, "Could not restore the recorded deployments");
                restored.completeExceptionally(e);
                return;
            }
            loop.scheduleWithFixedDelay(this::tick, 0, settings.tickInterval().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * What the previous instance left that cannot go on: locally, a step in progress or verifying (whether its command
     * finished is unknown: it ends error and onFailure applies); in GitHub mode, what the local backend left. On GitHub
     * a deployment goes on without this service: reconciliation reads how it is doing. Run from the loop until it got
     * through once, so a write that fails here is tried again at the next tick.
     */
    private void endWhatThePreviousInstanceLeft() {
        if (github == null) {
            for (Deployment interrupted : records.view().deployments().values().stream()
                    .filter(d -> d.state() == DeploymentState.IN_PROGRESS || d.state() == DeploymentState.VERIFYING)
                    .filter(d -> {
                        // a run the runner reported on since the restart is settled by its outcome
                        String runId = DeploymentRuns.runId(d, d.state() == DeploymentState.IN_PROGRESS
                                ? DeploymentRuns.Step.DEPLOY
                                : DeploymentRuns.Step.HEALTH);
                        return !liveRuns.contains(runId) && !outcomes.containsKey(runId);
                    })
                    .toList()) {
                end(interrupted, DeploymentState.ERROR, "deploy-service restarted while this deployment was "
                        + interrupted.state().jsonName() + "; whether its command finished is unknown");
            }
        } else {
            endWhatTheLocalBackendLeft();
        }
        cleanUpPending = false;
    }

    /**
     * GitHub mode on state the local backend wrote: a record waiting for a local operator's approval (no environment
     * commit: GitHub-mode records get theirs before they wait) can no longer be approved here, since approval belongs to
     * GitHub, and a local step in progress (no GitHub link) has no workflow run to follow. Left alone they would hold
     * their environment for ever; they end at startup, saying why — waiting ones inactive (nothing ran; a local
     * approval does not carry over: request it again), running ones error with an alert (whether the local command
     * finished is unknown). Their {@code onFailure} does not apply: the local runner's environment was never GitHub's,
     * and a revert would commit and dispatch an old tree into it and pause it. Queued ones stay: GitHub Actions deploys
     * them.
     */
    private void endWhatTheLocalBackendLeft() {
        for (Deployment left : records.view().deployments().values().stream()
                .filter(d -> d.state().isActive() && d.github() == null)
                .filter(d -> d.state() == DeploymentState.WAITING && d.environmentCommit() == null
                        || d.state() == DeploymentState.IN_PROGRESS || d.state() == DeploymentState.VERIFYING)
                .toList()) {
            if (left.state() == DeploymentState.WAITING) {
                String why = left.isApproved()
                        ? "requested under the local backend and approved by " + left.approval().by()
                                + " there, but not started before deploy-service moved to GitHub mode; the local approval"
                                + " does not carry over: deployments now run on GitHub Actions, where a reviewer of"
                                + " the GitHub environment approves: request it again"
                        : "requested under the local backend and waiting there for an operator's approval;"
                                + " deployments now run on GitHub Actions, where a reviewer of the GitHub environment"
                                + " approves: request it again";
                Deployment ended = left.to(DeploymentState.INACTIVE, clock.instant(), why);
                commit("Deployment " + left.id() + " of " + left.environment() + ": inactive (moved to GitHub mode)",
                        Actor.service(settings.service()), List.of(ended), List.of());
                announce(ended);
            } else {
                // what ran, ran on the local runner's environment, never GitHub's: onFailure does not apply there (a
                // revert would commit and dispatch an old tree into the GitHub environment, and pause it)
                String why = "deploy-service moved from the local backend to GitHub mode while this deployment was "
                        + left.state().jsonName() + " on the local runner; whether its command finished is unknown,"
                        + " and its onFailure does not apply on GitHub, where it never ran";
                Deployment ended = recordEnd(left, DeploymentState.ERROR, why);
                announcer.publish("alert.raised", ended.environment(), alert(ended, "deployment " + ended.id()
                        + " to " + ended.environment() + " ended error and was not reverted: " + why));
            }
        }
    }

    /** Records a deployment request; the answer completes once it is recorded (queued). */
    public CompletableFuture<Deployment> request(String environment, SourceRepository.Commit commit,
            DeploymentKind kind, List<dev.monkeytown.deploy.deployments.Artifact> found, String requestedBy) {
        return onLoop(() -> {
            declared(environment);
            EnvironmentStatus status = status(environment);
            if (status.isPaused()) {
                throw new DeployRefusedException(environment + " is paused (" + status.paused().reason().jsonName()
                        + ": " + status.paused().detail() + "); resume it first");
            }
            Instant now = clock.instant();
            Deployment queued = Deployment.queued(ids.next(), environment, commit.sha(), commit.tree(), kind, found,
                    requestedBy, now).pinned(declaration(catalog.get().environment(environment).orElseThrow()));
            List<Deployment> changes = ledger(environment).request(queued, now);
            commit("Queue deployment " + queued.id() + " of " + commit.sha() + " to " + environment,
                    Actor.user(requestedBy), changes, List.of());
            changes.forEach(this::announce);
            loop.execute(this::tick);
            return queued;
        });
    }

    /** An operator's decision on a waiting deployment; an approval starts it at once. */
    public CompletableFuture<Deployment> decide(String id, boolean approve, String by, String reason) {
        return onLoop(() -> {
            Deployment waiting = find(id);
            if (github != null) {
                throw new DeployRefusedException("deployment " + id + " runs on GitHub Actions, where approval happens:"
                        + " a reviewer of the GitHub environment " + waiting.environment() + " approves or rejects"
                        + " its workflow run on GitHub (" + runPage(waiting) + "); the suite records what GitHub"
                        + " decided");
            }
            if (waiting.state() != DeploymentState.WAITING) {
                throw new DeployRefusedException("deployment " + id + " is " + waiting.state().jsonName()
                        + ", not waiting for approval");
            }
            Approval decision = new Approval(approve, by, reason, clock.instant());
            Deployment decided = waiting.approved(decision);
            if (!approve) {
                decided = decided.to(DeploymentState.INACTIVE, decision.at(), "rejected by " + by + ": " + reason);
            }
            commit((approve ? "Approve" : "Reject") + " deployment " + id + " to " + waiting.environment() + "\n\n"
                    + reason, Actor.user(by), List.of(decided), List.of());
            announcer.publish(approve ? "deployment.approved" : "deployment.rejected", id, decided);
            if (approve) {
                launch(decided);
            }
            return find(id);
        });
    }

    /** An operator's revert to {@code to}, or to the last good deployment other than the current one. */
    public CompletableFuture<Deployment> revert(String environment, Optional<String> to, String by) {
        return onLoop(() -> {
            declared(environment);
            Ledger ledger = ledger(environment);
            if (ledger.active().isPresent()) {
                throw new DeployRefusedException("deployment " + ledger.active().get().id() + " holds " + environment
                        + "; wait for it to end (or reject it) before reverting");
            }
            Deployment target;
            try {
                target = ledger.revertTarget(to);
            } catch (IllegalArgumentException e) {
                throw new DeployRefusedException.NotFound(e.getMessage());
            } catch (IllegalStateException e) {
                throw new DeployRefusedException(e.getMessage());
            }
            Optional<Deployment> current = ledger.current();
            return queueRevert(environment, current.orElse(null), target, by,
                    "Revert " + environment + " to " + target.sha() + " by " + by);
        });
    }

    public CompletableFuture<EnvironmentStatus> pause(String environment, String by, String reason) {
        return onLoop(() -> {
            declared(environment);
            EnvironmentStatus paused = status(environment).pause(new Pause(PauseReason.OPERATOR, by, reason,
                    clock.instant(), null));
            commit("Pause " + environment + "\n\n" + reason, Actor.user(by), List.of(), List.of(paused));
            announcer.publish("deployment.paused", environment, paused);
            return paused;
        });
    }

    public CompletableFuture<EnvironmentStatus> resume(String environment, String by, String reason) {
        return onLoop(() -> {
            declared(environment);
            EnvironmentStatus status = status(environment);
            if (!status.isPaused()) {
                throw new DeployRefusedException(environment + " is not paused");
            }
            EnvironmentStatus resumed = status.resume();
            commit("Resume " + environment + "\n\n" + reason, Actor.user(by), List.of(), List.of(resumed));
            announcer.publish("deployment.resumed", environment, resumed);
            return resumed;
        });
    }

    /**
     * The environment's source branch has a new head: a pause after a revert is lifted by a newer commit than the one
     * it paused at (that commit is not the bad one). Other pauses stay.
     *
     * @return whether automatic deploys may run now
     */
    public CompletableFuture<Boolean> headMoved(String environment, String head) {
        return onLoop(() -> {
            EnvironmentStatus status = status(environment);
            if (!status.isPaused()) {
                return true;
            }
            if (!status.paused().liftedBy(head)) {
                return false;
            }
            EnvironmentStatus resumed = status.resume();
            commit("Resume " + environment + ": new commit " + head, Actor.service(settings.service()), List.of(),
                    List.of(resumed));
            announcer.publish("deployment.resumed", environment, resumed);
            return true;
        });
    }

    @Override
    public void started(String runId, RunnerRef ref, Instant at) {
        // the record already says in_progress or verifying: a start changes nothing worth a commit; on GitHub the
        // deployment's own statuses say when its job runs
    }

    @Override
    public void finished(String runId, RunnerRef ref, RunOutcome outcome) {
        if (github != null) {
            // the workflow run ended: its deployment's statuses say how (read now), else the run's conclusion
            try {
                loop.execute(() -> records.view().deployment(runId).filter(d -> d.state().isActive())
                        .ifPresent(d -> reconcileQuietly(d, Optional.of(outcome))));
            } catch (RejectedExecutionException e) {
                // stopped: the next owner reconciles
            }
            return;
        }
        try {
            loop.execute(() -> {
                liveRuns.remove(runId);
                outcomes.put(runId, outcome);
                settleOutcomes();
            });
        } catch (RejectedExecutionException e) {
            // this engine stopped (stepped down or shut down): the next owner settles the run when it restores
        }
    }

    private void tick() {
        try {
            if (cleanUpPending) {
                endWhatThePreviousInstanceLeft();
            }
            settleOutcomes();
            if (github == null) {
                for (Ledger ledger : records.ledgers()) {
                    ledger.active().ifPresent(this::endIfNothingRuns);
                }
            } else {
                launchAgainAt.keySet().removeIf(id -> records.view().deployment(id)
                        .map(d -> d.state() != DeploymentState.QUEUED).orElse(true)); // superseded meanwhile
            }
            if (github != null && !clock.instant().isBefore(reconciledAt.plus(github.settings().reconcileInterval()))) {
                reconciledAt = clock.instant();
                reconcile();
            }
            for (Ledger ledger : records.ledgers()) {
                Optional<Deployment> active = ledger.active();
                if (github == null && active.isPresent() && active.get().state() == DeploymentState.WAITING
                        && active.get().isApproved()) {
                    // approved, but its start did not get recorded (a failed commit, a restart): start it now
                    launch(active.get());
                }
                Optional<Deployment> next = ledger.startable();
                if (next.isPresent() && !clock.instant().isBefore(launchAgainAt.getOrDefault(next.get().id(),
                        Instant.EPOCH))) {
                    begin(next.get());
                }
            }
            reporter.report(records.ledgers());
        } catch (RuntimeException e) {
            Log.errorf(e, "Deployment loop turn failed; it is tried again");
        }
    }

    /**
     * A deployment in progress or verifying whose step this engine is not running and has no outcome of: its start or
     * its end could not be recorded (a failed commit). Left alone it would hold its environment until a restart.
     */
    private void endIfNothingRuns(Deployment active) {
        DeploymentRuns.Step step = switch (active.state()) {
            case IN_PROGRESS -> DeploymentRuns.Step.DEPLOY;
            case VERIFYING -> DeploymentRuns.Step.HEALTH;
            default -> null;
        };
        if (step == null) {
            return;
        }
        String runId = DeploymentRuns.runId(active, step);
        if (!liveRuns.contains(runId) && !outcomes.containsKey(runId)) {
            end(active, DeploymentState.ERROR, "its " + step.name().toLowerCase() + " step is not running here (its"
                    + " start or its end could not be recorded)");
        }
    }

    private void begin(Deployment queued) {
        Optional<Environment> environment = catalog.get().environment(queued.environment());
        if (environment.isEmpty()) {
            end(queued, DeploymentState.ERROR, queued.environment() + " is no longer declared in environments.yaml");
            return;
        }
        if (github == null && environment.get().approval() && !queued.isApproved()) {
            Deployment waiting = queued.to(DeploymentState.WAITING, clock.instant(),
                    "waiting for an operator to approve or reject it");
            commit("Deployment " + queued.id() + " to " + queued.environment() + " waits for approval",
                    Actor.service(settings.service()), List.of(waiting), List.of());
            announce(waiting);
            return;
        }
        launch(queued);
    }

    /** Commits the deployment on its environment branch, records it in progress, then runs its command. */
    private void launch(Deployment deployment) {
        Environment environment = asRequested(deployment).orElse(null);
        if (environment == null) {
            end(deployment, DeploymentState.ERROR, deployment.environment() + " is no longer declared");
            return;
        }
        if (github != null) {
            launchOnGitHub(deployment, environment);
            return;
        }
        Map<String, String> secretValues = Map.of();
        if (environment.approval()) {
            try {
                secretValues = secrets.read(environment.name());
            } catch (IOException e) {
                end(deployment, DeploymentState.ERROR, "the environment's secrets were refused: " + e.getMessage());
                return;
            }
        }
        // the artifacts first: environments/<env> must never record a deployment that could not even be fetched
        Path artifactDirectory = settings.artifactsRoot().resolve(deployment.id());
        try {
            Files.createDirectories(settings.environmentsRoot().resolve(deployment.environment()));
            artifacts.materialise(deployment.artifacts(), artifactDirectory);
        } catch (IOException | RuntimeException e) {
            end(deployment, DeploymentState.ERROR, "the artifacts could not be fetched: " + e.getMessage());
            return;
        }
        SourceRepository.Commit recorded;
        try {
            recorded = gitops.record(deployment);
        } catch (IOException | RuntimeException e) {
            end(deployment, DeploymentState.ERROR, "could not commit on environments/" + deployment.environment()
                    + ": " + e.getMessage());
            return;
        }
        Instant now = clock.instant();
        Deployment running = deployment.committed(recorded.sha(), now).to(DeploymentState.IN_PROGRESS, now,
                "running " + environment.command());
        commit((deployment.kind() == DeploymentKind.REVERT ? "Revert " : "Deploy ") + deployment.environment()
                + " to " + deployment.sha() + " (deployment " + deployment.id() + ")",
                Actor.service(settings.service()), List.of(running), List.of());
        announce(running);
        if (running.kind() == DeploymentKind.REVERT) {
            announcer.publish("environment.reverted", running.environment(), running);
        }
        runStep(running, environment, DeploymentRuns.Step.DEPLOY, secretValues);
    }

    // ---- GitHub mode ------------------------------------------------------------------------------------------------

    /**
     * Commits the deployment on its environment branch through the Git Data API, records it {@code waiting} (on GitHub
     * Actions: reviewers, a wait timer, a runner), then dispatches {@code deploy-<env>.yml} on that branch. Nothing is
     * read or run here: the workflow fetches the artifacts by digest and GitHub gives its job the environment's
     * secrets.
     */
    private void launchOnGitHub(Deployment deployment, Environment environment) {
        SourceRepository.Commit recorded;
        try {
            recorded = gitops.record(deployment);
        } catch (SourceRepository.RefusedException e) {
            end(deployment, DeploymentState.ERROR, "could not commit on environments/" + deployment.environment()
                    + ": " + e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            // unreachable, a 5xx (GitHub may have moved the branch all the same), a rate-limit wait past its bound,
            // interrupted: the outcome is unknown, so the deployment stays queued and is launched again later, when
            // reading the head finds its commit if the move did land
            Instant later = clock.instant().plus(github.settings().reconcileInterval());
            launchAgainAt.put(deployment.id(), later);
            Log.warnf("Deployment %s of %s stays queued: committing on environments/%s had no certain outcome (%s);"
                    + " tried again after %s", deployment.id(), deployment.environment(), deployment.environment(),
                    e.getMessage(), later);
            return;
        }
        launchAgainAt.remove(deployment.id());
        Instant now = clock.instant();
        Deployment committed = deployment.committed(recorded.sha(), now).to(DeploymentState.WAITING, now,
                "dispatching " + GitHubDeploys.workflow(deployment.environment()) + " on environments/"
                        + deployment.environment());
        commit((deployment.kind() == DeploymentKind.REVERT ? "Revert " : "Deploy ") + deployment.environment()
                + " to " + deployment.sha() + " (deployment " + deployment.id() + ")",
                Actor.service(settings.service()), List.of(committed), List.of());
        announce(committed);
        if (committed.kind() == DeploymentKind.REVERT) {
            announcer.publish("environment.reverted", committed.environment(), committed);
        }
        dispatch(committed, environment);
    }

    /** Dispatches the deployment's workflow; a dispatch whose answer is lost is settled by {@link #reconcile}. */
    private void dispatch(Deployment deployment, Environment environment) {
        RunnerRef ref;
        try {
            ref = runner.start(GitHubDeploys.spec(deployment, environment));
        } catch (RunRejectedException | DeployRefusedException e) {
            // refused for good (the workflow is missing, the token may not dispatch it): the runner decided, so this
            // is not tried again; nothing ran, so there is nothing to revert either
            String why = "GitHub did not take the dispatch of " + GitHubDeploys.workflow(deployment.environment())
                    + ": " + e.getMessage();
            if (deployment.kind() == DeploymentKind.REVERT) {
                endFailedRevert(deployment, why, environment);
            } else {
                endBeforeItRan(deployment, why);
            }
            return;
        } catch (RunnerUnavailableException | RuntimeException e) {
            Log.warnf("The dispatch of deployment %s is not confirmed (%s); reconciliation settles it",
                    deployment.id(), e.getMessage());
            return;
        }
        Deployment.GitHubLink link = Optional.ofNullable(deployment.github()).orElse(Deployment.GitHubLink.NONE);
        if (ref.externalId().isPresent()) {
            link = link.withRun(Long.parseLong(ref.externalId().get()));
        }
        Deployment dispatched = deployment.onGitHub(link, clock.instant(), "dispatched "
                + GitHubDeploys.workflow(deployment.environment()) + (link.runId() == null
                        ? ""
                        : " as workflow run "
                                + link.runId())
                + "; waiting for GitHub Actions (the environment's protection rules, a runner)");
        commit("Deployment " + deployment.id() + " of " + deployment.environment() + " dispatched",
                Actor.service(settings.service()), List.of(dispatched), List.of());
        announce(dispatched);
    }

    /**
     * A {@code deployment_status} webhook (forwarded by the gateway): the record it belongs to — by the workflow run
     * that made the GitHub deployment, else by the environment and the environment commit the deployment is of — takes
     * its state. Completes with what was done, in words.
     */
    public CompletableFuture<String> onDeploymentStatus(JsonNode payload) {
        return onLoop(() -> {
            if (github == null) {
                return "deployments run locally here";
            }
            String environment = payload.path("deployment").path("environment").asText("");
            String sha = payload.path("deployment").path("sha").asText("");
            long runId = payload.path("workflow_run").path("id").asLong(-1);
            long deploymentId = payload.path("deployment").path("id").asLong(-1);
            String state = payload.path("deployment_status").path("state").asText("");
            String runPath = payload.path("workflow_run").path("path").asText("");
            String runTitle = payload.path("workflow_run").path("display_title").asText("");
            Optional<Deployment> found = records.view().deployments().values().stream()
                    .filter(d -> d.environment().equals(environment))
                    .filter(d -> runId >= 0 && d.github() != null && Long.valueOf(runId).equals(d.github().runId()))
                    .findFirst()
                    // a dispatch whose run id is not recorded yet (its answer lost): only our deploy-<env>.yml run,
                    // whose title names the deployment — anyone may run that workflow by hand at the same commit
                    .or(() -> records.view().deployments().values().stream()
                            .filter(d -> d.environment().equals(environment) && sha.equals(d.environmentCommit()))
                            .filter(d -> d.github() == null || d.github().runId() == null)
                            .filter(d -> runId >= 0
                                    && runPath.equals(".github/workflows/" + GitHubDeploys.workflow(environment))
                                    && runTitle.contains(d.id()))
                            .max(java.util.Comparator.comparing(Deployment::id)));
            if (found.isEmpty()) {
                return "no deployment of " + environment + " was dispatched as workflow run " + runId;
            }
            Deployment deployment = found.get();
            if (!deployment.state().isActive()) {
                return "deployment " + deployment.id() + " is already " + deployment.state().jsonName();
            }
            Deployment.GitHubLink link = Optional.ofNullable(deployment.github()).orElse(Deployment.GitHubLink.NONE);
            if (runId >= 0) {
                link = link.withRun(runId);
            }
            if (deploymentId >= 0) {
                link = link.withDeployment(deploymentId);
            }
            return takeGitHubState(deployment, link, state,
                    payload.path("deployment_status").path("description").asText(""), "a deployment_status webhook");
        });
    }

    /** Reads back every deployment GitHub runs that is not settled yet (webhooks are lost; GitHub never redelivers). */
    private void reconcile() {
        for (Ledger ledger : records.ledgers()) {
            ledger.active().filter(d -> d.environmentCommit() != null)
                    .ifPresent(d -> reconcileQuietly(d, Optional.empty()));
        }
    }

    private void reconcileQuietly(Deployment deployment, Optional<RunOutcome> ended) {
        try {
            reconcile(deployment, ended);
        } catch (IOException | RunnerUnavailableException | RuntimeException e) {
            Log.warnf("Deployment %s of %s not reconciled with GitHub this time: %s", deployment.id(),
                    deployment.environment(), e.getMessage());
        }
    }

    /**
     * One deployment read back from GitHub: its workflow run (dispatched again if GitHub never made one), the GitHub
     * deployment Actions made for it (found by environment and environment commit), and that deployment's newest
     * status. A workflow run that ended while its deployment's statuses say nothing final (no job named the
     * environment, or it failed before that job) ends the record as the run ended.
     */
    private void reconcile(Deployment deployment, Optional<RunOutcome> ended)
            throws IOException, RunnerUnavailableException {
        Environment environment = asRequested(deployment).orElse(null);
        Deployment.GitHubLink link = Optional.ofNullable(deployment.github()).orElse(Deployment.GitHubLink.NONE);
        Optional<RunOutcome> outcome = ended;
        if (link.runId() == null || outcome.isEmpty()) {
            RunnerTruth truth = runner.inspect(GitHubDeploys.lookup(deployment));
            RunnerRef ref = null;
            if (truth instanceof RunnerTruth.Pending pending) {
                ref = pending.ref();
            } else if (truth instanceof RunnerTruth.Running running) {
                ref = running.ref();
            } else if (truth instanceof RunnerTruth.Finished finished) {
                ref = finished.ref();
            }
            if (ref != null && ref.externalId().isPresent()) {
                link = link.withRun(Long.parseLong(ref.externalId().get()));
            }
            if (truth instanceof RunnerTruth.Finished finished) {
                outcome = Optional.of(finished.outcome());
            }
            if (truth instanceof RunnerTruth.Unknown) {
                boolean neverLinked = deployment.state() == DeploymentState.WAITING
                        && (deployment.github() == null || deployment.github().runId() == null);
                if (!neverLinked) {
                    // GitHub named this run (or its deployment moved on): the runner already waited out reads that
                    // lag (a known run reads pending for a while), so it is gone now, yet it existed and may have
                    // deployed; dispatching again could deploy twice. Its GitHub deployment may still say how it
                    // ended; if GitHub has nothing, it ends here rather than hold its environment for ever
                    Log.warnf("GitHub does not list workflow run %s of deployment %s any more; not dispatched again",
                            link.runId(), deployment.id());
                    runGone(deployment, link);
                } else if (environment == null) {
                    end(deployment, DeploymentState.ERROR, deployment.environment() + " is no longer declared");
                } else {
                    Log.infof("GitHub has no workflow run for deployment %s: dispatching it again", deployment.id());
                    dispatch(deployment, environment);
                }
                return;
            }
        }
        if (link.deploymentId() == null && link.runId() != null) {
            Optional<Long> made = github.find(deployment.environment(), deployment.environmentCommit(),
                    link.runId());
            if (made.isPresent()) {
                link = link.withDeployment(made.get());
            }
        }
        Optional<GitHubDeploys.Status> status = link.deploymentId() == null
                ? Optional.empty()
                : github.latest(link.deploymentId());
        if (status.isPresent()) {
            takeGitHubState(deployment, link, status.get().state(), status.get().description(),
                    "reading GitHub deployment " + link.deploymentId() + "'s statuses");
            deployment = find(deployment.id());
        } else if (!link.equals(deployment.github())) {
            deployment = linked(deployment, link);
        }
        if (outcome.isEmpty() || !deployment.state().isActive()) {
            return;
        }
        // the run ended and its deployment said nothing final about it
        if (deployment.state() == DeploymentState.WAITING && !(outcome.get() instanceof RunOutcome.Succeeded)) {
            neverRan(deployment, "workflow run " + (link.runId() == null ? "?" : link.runId()) + " of "
                    + GitHubDeploys.workflow(deployment.environment()) + " ended while it waited");
            return;
        }
        Deployment running = deployment.state() == DeploymentState.WAITING
                ? deployment.to(DeploymentState.IN_PROGRESS, clock.instant(), "ran on GitHub Actions")
                : deployment;
        String run = "workflow run " + (link.runId() == null ? "?" : link.runId()) + " of "
                + GitHubDeploys.workflow(deployment.environment());
        if (outcome.get() instanceof RunOutcome.Succeeded) {
            succeed(running, run + " succeeded");
        } else if (outcome.get() instanceof RunOutcome.Failed failed) {
            end(running, DeploymentState.FAILURE, run + " failed: " + failed.reason());
        } else if (outcome.get() instanceof RunOutcome.TimedOut) {
            end(running, DeploymentState.FAILURE, run + " timed out");
        } else {
            end(running, DeploymentState.ERROR, run + " was cancelled");
        }
    }

    /**
     * The workflow run of a linked deployment is gone from GitHub: the GitHub deployment Actions made for it, if any,
     * says how it went by a final status; without one (no deployment, no status, or one a gone run never moves on
     * from), GitHub has nothing that will end it, and the record ends {@code error} with
     * the alert — never dispatched again (the run existed and may have deployed), and with no {@code onFailure}, since
     * what ran, if anything, is unknown.
     */
    private void runGone(Deployment deployment, Deployment.GitHubLink link) throws IOException {
        Deployment.GitHubLink found = link;
        if (found.deploymentId() == null && found.runId() != null && deployment.environmentCommit() != null) {
            Optional<Long> made = github.find(deployment.environment(), deployment.environmentCommit(),
                    found.runId());
            if (made.isPresent()) {
                found = found.withDeployment(made.get());
            }
        }
        Optional<GitHubDeploys.Status> status = found.deploymentId() == null
                ? Optional.empty()
                : github.latest(found.deploymentId());
        if (status.isPresent() && Set.of("success", "failure", "error").contains(status.get().state())) {
            takeGitHubState(deployment, found, status.get().state(), status.get().description(),
                    "reading GitHub deployment " + found.deploymentId() + "'s statuses (its workflow run is gone)");
            return;
        }
        // no status, or one a gone run will never move on from (queued, waiting, in_progress): nothing will end it
        String why = "workflow run gone: GitHub no longer lists workflow run "
                + (found.runId() == null ? "?" : found.runId()) + " of "
                + GitHubDeploys.workflow(deployment.environment()) + " and has no final deployment status for it"
                + status.map(st -> " (the last one says " + st.state() + ")").orElse("") + "; whether it deployed is"
                + " unknown, so it is not dispatched again";
        if (deployment.kind() == DeploymentKind.REVERT) {
            endFailedRevert(deployment, why, asRequested(deployment).orElse(null));
            return;
        }
        Deployment ended = recordEnd(deployment, DeploymentState.ERROR, why);
        announcer.publish("alert.raised", ended.environment(), alert(ended, "deployment " + ended.id() + " to "
                + ended.environment() + " ended error: " + why));
    }

    /**
     * A revert that failed before it could deploy anything: the failed tree still runs, so the environment is paused
     * {@code revert_failed} (a pause no new commit lifts) in the same commit that ends the revert. Two commits would
     * leave, after a crash or a failed second write between them, an ended revert and the {@code reverted} pause, which
     * the next commit lifts: automatic deploys over the failed tree and no alert.
     */
    private void endFailedRevert(Deployment revert, String why, Environment environment) {
        Deployment ended = revert.to(DeploymentState.ERROR, clock.instant(), why);
        String pauseWhy = "the revert " + ended.id() + " itself failed: " + why;
        EnvironmentStatus paused = status(ended.environment()).pause(new Pause(PauseReason.REVERT_FAILED,
                settings.service(), pauseWhy, clock.instant(), environment == null ? null : head(environment)));
        commit("Deployment " + ended.id() + " of " + ended.environment() + ": error, " + ended.environment()
                + " paused\n\n" + pauseWhy, Actor.service(settings.service()), List.of(ended), List.of(paused));
        announce(ended);
        announcer.ended(ended);
        removeArtifacts(ended);
        announcer.publish("deployment.paused", ended.environment(), paused);
        announcer.publish("alert.raised", ended.environment(), alert(ended, pauseWhy + "; automatic deploys of "
                + ended.environment() + " are paused"));
    }

    /**
     * The run ended while the record was still waiting: its job never ran (a reviewer rejected it, someone cancelled
     * the run, an earlier job failed). Like a local rejection it ends {@code inactive}: nothing was deployed, so no
     * {@code onFailure} and nothing counted in the success rate.
     */
    private void neverRan(Deployment waiting, String why) {
        Deployment ended = waiting.to(DeploymentState.INACTIVE, clock.instant(), "rejected or cancelled on GitHub: "
                + why);
        commit("Deployment " + waiting.id() + " of " + waiting.environment() + ": rejected or cancelled on GitHub",
                Actor.service(settings.service()), List.of(ended), List.of());
        announce(ended);
        announcer.publish("deployment.rejected", ended.id(), ended);
    }

    private Deployment linked(Deployment deployment, Deployment.GitHubLink link) {
        Deployment linked = deployment.onGitHub(link, clock.instant(), deployment.reason());
        commit("Deployment " + deployment.id() + " of " + deployment.environment() + " is workflow run "
                + link.runId() + (link.deploymentId() == null ? "" : ", GitHub deployment " + link.deploymentId()),
                Actor.service(settings.service()), List.of(linked), List.of());
        return linked;
    }

    /**
     * GitHub's deployment state onto the record: {@code waiting} (reviewers, a wait timer) and {@code queued} keep it
     * waiting, saying which; {@code in_progress}; {@code success}; {@code failure}; {@code error}. A final state that
     * skipped {@code in_progress} (its webhook lost) passes through it in the same commit.
     */
    private String takeGitHubState(Deployment deployment, Deployment.GitHubLink link, String state,
            String description, String source) {
        Instant now = clock.instant();
        String detail = description == null || description.isBlank() ? "" : " (" + description + ")";
        String linkedText = "GitHub deployment " + link.deploymentId() + " of workflow run " + link.runId();
        Deployment current = link.equals(deployment.github())
                ? deployment
                : deployment.onGitHub(link, now,
                        deployment.reason());
        switch (state) {
            case "waiting", "queued", "pending" -> {
                if (current.state() != DeploymentState.WAITING) {
                    return "deployment " + deployment.id() + " is already " + current.state().jsonName();
                }
                String why = state.equals("waiting")
                        ? "waiting on GitHub for a reviewer of the environment " + deployment.environment()
                                + " (or its wait timer): " + linkedText
                        : "queued on GitHub Actions for a runner: " + linkedText;
                if (why.equals(deployment.reason()) && current == deployment) {
                    return "unchanged";
                }
                Deployment waiting = current.onGitHub(link, now, why);
                commit("Deployment " + deployment.id() + " of " + deployment.environment() + ": " + state + " on"
                        + " GitHub", Actor.service(settings.service()), List.of(waiting), List.of());
                announce(waiting);
                return "waiting";
            }
            case "in_progress" -> {
                if (current.state() != DeploymentState.WAITING) {
                    return "deployment " + deployment.id() + " is already " + current.state().jsonName();
                }
                Deployment running = current.to(DeploymentState.IN_PROGRESS, now, "GitHub Actions runs it: "
                        + linkedText);
                commit("Deployment " + deployment.id() + " of " + deployment.environment() + " is in progress",
                        Actor.service(settings.service()), List.of(running), List.of());
                announce(running);
                return "in_progress";
            }
            case "success", "failure", "error" -> {
                if (current.state() == DeploymentState.WAITING && !state.equals("success")) {
                    // a final state while the record waits: a lost in_progress, or a job that never ran (a reviewer
                    // rejected it, the run was cancelled) — only the deployment's status history tells which
                    boolean ran;
                    try {
                        ran = link.deploymentId() != null && github.ran(link.deploymentId());
                    } catch (IOException | RuntimeException e) {
                        Log.warnf("Deployment %s: whether its job ran on GitHub is unknown yet (%s)", deployment.id(),
                                e.getMessage());
                        return "not settled yet: whether its job ran is unknown";
                    }
                    if (!ran) {
                        neverRan(current, "GitHub reported " + state + detail + " before its job ran: " + linkedText);
                        return "inactive";
                    }
                }
                Deployment running = current.state() == DeploymentState.WAITING && !state.equals("error")
                        ? current.to(DeploymentState.IN_PROGRESS, now, "GitHub Actions ran it: " + linkedText)
                        : current;
                if (state.equals("success")) {
                    succeed(running, "GitHub reported success" + detail + ": " + linkedText);
                } else {
                    end(running, state.equals("failure") ? DeploymentState.FAILURE : DeploymentState.ERROR,
                            "GitHub reported " + state + detail + " (from " + source + "): " + linkedText);
                }
                return state;
            }
            default -> {
                // inactive (GitHub's own bookkeeping after a newer success) and anything GitHub adds later
                if (current != deployment) {
                    linked(deployment, link);
                }
                return "ignored " + state;
            }
        }
    }

    /** Where a person sees the deployment's workflow run. */
    private String runPage(Deployment deployment) {
        Long runId = deployment.github() == null ? null : deployment.github().runId();
        return runId == null
                ? "the runs of " + GitHubDeploys.workflow(deployment.environment())
                : "https://github.com/" + github.settings().repository() + "/actions/runs/" + runId;
    }

    private void runStep(Deployment deployment, Environment environment, DeploymentRuns.Step step,
            Map<String, String> secretValues) {
        try {
            runner.start(DeploymentRuns.spec(deployment, environment, step,
                    settings.artifactsRoot().resolve(deployment.id()),
                    settings.environmentsRoot().resolve(deployment.environment()), secretValues));
            liveRuns.add(DeploymentRuns.runId(deployment, step));
        } catch (RunRejectedException | RunnerUnavailableException | RuntimeException e) {
            end(deployment, DeploymentState.ERROR, "the runner did not take the " + step.name().toLowerCase()
                    + " step: " + e.getMessage());
        }
    }

    private void settleOutcomes() {
        for (Map.Entry<String, RunOutcome> entry : List.copyOf(outcomes.entrySet())) {
            try {
                settle(entry.getKey(), entry.getValue());
                outcomes.remove(entry.getKey());
            } catch (RuntimeException e) {
                Log.warnf("The outcome of run %s could not be recorded yet: %s", entry.getKey(), e.toString());
            }
        }
    }

    private void settle(String runId, RunOutcome outcome) {
        Optional<DeploymentRuns.RunOf> run = DeploymentRuns.parse(runId);
        Optional<Deployment> found = run.flatMap(r -> records.view().deployment(r.deploymentId()));
        if (found.isEmpty()) {
            return;
        }
        Deployment deployment = found.get();
        DeploymentRuns.Step step = run.get().step();
        DeploymentState expected = step == DeploymentRuns.Step.DEPLOY
                ? DeploymentState.IN_PROGRESS
                : DeploymentState.VERIFYING;
        if (deployment.state() != expected) {
            return; // a report repeated, or about a step already settled (a restart ended it)
        }
        String what = step == DeploymentRuns.Step.DEPLOY ? "the deploy command" : "the health check";
        if (outcome instanceof RunOutcome.Succeeded) {
            Environment environment = asRequested(deployment).orElse(null);
            if (environment == null) {
                // its health check cannot be known: never call it healthy (it would become the last good, the revert
                // target)
                end(deployment, DeploymentState.ERROR, what + " succeeded, but " + deployment.environment()
                        + " is no longer declared in environments.yaml: its health could not be checked");
            } else if (step == DeploymentRuns.Step.DEPLOY && environment.health().isPresent()) {
                Deployment verifying = deployment.to(DeploymentState.VERIFYING, clock.instant(),
                        "running the health check " + environment.health().get());
                commit("Verify deployment " + deployment.id() + " of " + deployment.environment(),
                        Actor.service(settings.service()), List.of(verifying), List.of());
                announce(verifying);
                runStep(verifying, environment, DeploymentRuns.Step.HEALTH, Map.of());
            } else {
                succeed(deployment);
            }
        } else if (outcome instanceof RunOutcome.Failed failed) {
            // exited non-zero: the deployment failed; never ran (checkout, launch): an error of the machinery
            end(deployment, failed.exitCode().isPresent() ? DeploymentState.FAILURE : DeploymentState.ERROR,
                    what + " failed: " + failed.reason());
        } else if (outcome instanceof RunOutcome.TimedOut) {
            end(deployment, DeploymentState.FAILURE, what + " timed out");
        } else {
            end(deployment, DeploymentState.ERROR, what + " was cancelled");
        }
    }

    private void succeed(Deployment deployment) {
        succeed(deployment, "healthy");
    }

    /** {@code deployment} (the ledger's, or a step further: in progress on GitHub) succeeded. */
    private void succeed(Deployment deployment, String why) {
        Instant now = clock.instant();
        List<Deployment> changes = ledger(deployment.environment()).succeeded(deployment, now, why);
        commit("Deployment " + deployment.id() + " of " + deployment.environment() + " is healthy",
                Actor.service(settings.service()), changes, List.of());
        changes.forEach(this::announce);
        Deployment done = find(deployment.id());
        announcer.ended(done);
        if (done.kind() == DeploymentKind.REVERT && done.revertOf() != null) {
            records.view().deployment(done.revertOf()).map(Deployment::finishedAt).ifPresent(
                    failedAt -> announcer.restored(done, Duration.between(failedAt, now)));
        }
        removeArtifacts(done);
    }

    /** Ends a deployment in failure or error (or error before it ran), then applies {@code onFailure}. */
    private void end(Deployment deployment, DeploymentState state, String why) {
        Deployment ended = recordEnd(deployment, state, why);
        if (ended.environmentCommit() != null) {
            onFailure(ended);
        } else if (ended.state() == DeploymentState.ERROR) {
            // it never reached the environment (secrets refused, artifacts missing, the branch commit failed): nothing
            // to revert, but somebody has to know
            alertNeverRan(ended, why);
        }
    }

    /**
     * Ends in error a deployment whose command never ran though its environment commit was made (GitHub refused its
     * dispatch for good): the environment still runs what it ran, so {@code onFailure} does not apply — a revert would
     * only commit and dispatch again what is already there — but somebody has to know.
     */
    private void endBeforeItRan(Deployment deployment, String why) {
        alertNeverRan(recordEnd(deployment, DeploymentState.ERROR, why), why);
    }

    private Deployment recordEnd(Deployment deployment, DeploymentState state, String why) {
        Deployment ended = deployment.to(state, clock.instant(), why);
        commit("Deployment " + deployment.id() + " of " + deployment.environment() + ": " + state.jsonName() + "\n\n"
                + why, Actor.service(settings.service()), List.of(ended), List.of());
        announce(ended);
        if (ended.state().isOutcome()) {
            announcer.ended(ended);
        }
        removeArtifacts(ended);
        return ended;
    }

    private void alertNeverRan(Deployment ended, String why) {
        announcer.publish("alert.raised", ended.environment(), alert(ended, "deployment " + ended.id() + " to "
                + ended.environment() + " ended error before it ran: " + why));
    }

    private void onFailure(Deployment failed) {
        Environment environment = asRequested(failed).orElse(null);
        if (environment == null || environment.onFailure() == Environment.OnFailure.ALERT) {
            announcer.publish("alert.raised", failed.environment(), alert(failed, "deployment " + failed.id() + " to "
                    + failed.environment() + " ended " + failed.state().jsonName() + ": " + failed.reason()));
            return;
        }
        Ledger.RevertPlan plan = ledger(failed.environment()).revertPlan(failed);
        if (plan instanceof Ledger.RevertPlan.To to) {
            queueRevert(failed.environment(), failed, to.lastGood(), settings.service(), "Revert "
                    + failed.environment() + " to " + to.lastGood().sha() + " after deployment " + failed.id()
                    + " ended " + failed.state().jsonName());
        } else if (plan instanceof Ledger.RevertPlan.Impossible impossible) {
            pauseRevertFailed(failed, impossible.why(), environment);
        }
        // AlreadyDone: reverted once already; a second revert of the same failure would loop
    }

    /** A revert failed or is impossible: alert, and pause automatic deploys until an operator resumes. */
    private void pauseRevertFailed(Deployment failed, String why, Environment environment) {
        EnvironmentStatus paused = status(failed.environment()).pause(new Pause(PauseReason.REVERT_FAILED,
                settings.service(), why, clock.instant(), head(environment)));
        commit("Pause " + failed.environment() + ": " + why, Actor.service(settings.service()), List.of(),
                List.of(paused));
        announcer.publish("deployment.paused", failed.environment(), paused);
        announcer.publish("alert.raised", failed.environment(), alert(failed, why + "; automatic deploys of "
                + failed.environment() + " are paused"));
    }

    /**
     * One commit: the revert deployment queued, what it reverts marked, and automatic deploys paused (no redeploying
     * the bad commit). The environment branch gets its commit when the revert starts, like every deployment.
     */
    private Deployment queueRevert(String environment, Deployment revertOf, Deployment good, String by,
            String message) {
        Instant now = clock.instant();
        Environment declared = catalog.get().environment(environment).orElse(null);
        Deployment revert = Deployment.revert(ids.next(), revertOf, good, by, now);
        // the good tree runs with the command and health it passed with (the current ones may name scripts only the
        // failed tree has), under the current onFailure
        if (good.declared() != null) {
            revert = revert.pinned(new Deployment.Declared(good.declared().command(), good.declared().health(),
                    declared == null ? good.declared().onFailure() : declared.onFailure().jsonName()));
        } else if (declared != null) {
            revert = revert.pinned(declaration(declared));
        }
        Ledger ledger = ledger(environment);
        List<Deployment> changes = new ArrayList<>(ledger.request(revert, now));
        if (revertOf != null && revertOf.revertedBy() == null) {
            changes.add(revertOf.revertedBy(revert.id(), now));
        }
        EnvironmentStatus status = status(environment);
        List<EnvironmentStatus> paused = status.isPaused() && status.paused().reason() != PauseReason.REVERTED
                ? List.of()
                : List.of(status.pause(new Pause(PauseReason.REVERTED, by, "reverted to " + good.sha()
                        + " (deployment " + good.id() + ")", now, declared == null ? null : head(declared))));
        commit(message, by.equals(settings.service()) ? Actor.service(by) : Actor.user(by), changes, paused);
        changes.forEach(this::announce);
        paused.forEach(p -> announcer.publish("deployment.paused", environment, p));
        loop.execute(this::tick);
        return revert;
    }

    /** What the environment declared when the deployment was requested: what it runs. */
    private static Deployment.Declared declaration(Environment environment) {
        return new Deployment.Declared(environment.command(), environment.health().orElse(null),
                environment.onFailure().jsonName());
    }

    /**
     * The environment as declared now, with what the deployment was requested under (command, health, onFailure) in
     * place of what changed since; as declared now for a record that kept nothing. Empty once it is no longer declared.
     */
    private Optional<Environment> asRequested(Deployment deployment) {
        Deployment.Declared pinned = deployment.declared();
        return catalog.get().environment(deployment.environment()).map(now -> pinned == null
                ? now
                : new Environment(now.name(), now.branch(), now.autoDeploy(), now.production(), now.approval(),
                        now.requires(), pinned.command(), Optional.ofNullable(pinned.health()),
                        onFailure(deployment, pinned.onFailure(), now.onFailure()), now.timeout()));
    }

    /**
     * A pinned onFailure this version does not know (written by a newer one, or by hand) is the environment's current
     * one: one record must not stop the loop.
     */
    private static Environment.OnFailure onFailure(Deployment deployment, String pinned, Environment.OnFailure now) {
        for (Environment.OnFailure known : Environment.OnFailure.values()) {
            if (known.jsonName().equalsIgnoreCase(pinned)) {
                return known;
            }
        }
        Log.warnf("Deployment %s of %s names an onFailure this version does not know (%s); %s applies, as declared"
                + " now", deployment.id(), deployment.environment(), pinned, now.jsonName());
        return now;
    }

    private String head(Environment environment) {
        try {
            return repository.head(environment.branch()).map(SourceRepository.Commit::sha).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, Object> alert(Deployment deployment, String detail) {
        return Map.of("alert", "Deployment failed", "severity", "critical", "environment", deployment.environment(),
                "deployment", deployment.id(), "detail", detail);
    }

    private void removeArtifacts(Deployment deployment) {
        Path directory = settings.artifactsRoot().resolve(deployment.id());
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            Log.warnf("Could not remove the artifacts of deployment %s at %s: %s", deployment.id(), directory,
                    e.toString());
        }
    }

    private void announce(Deployment deployment) {
        announcer.publish("deployment." + deployment.state().jsonName().replace('_', '-'), deployment.id(),
                deployment);
    }

    private void commit(String message, Actor actor, List<Deployment> deployments,
            List<EnvironmentStatus> environmentStatuses) {
        records.commit(message, actor, deployments, environmentStatuses);
    }

    private Ledger ledger(String environment) {
        return records.ledger(environment);
    }

    private EnvironmentStatus status(String environment) {
        return records.status(environment);
    }

    private void declared(String environment) {
        if (catalog.get().environment(environment).isEmpty()) {
            throw new DeployRefusedException.NotFound("no environment " + environment + " is declared in"
                    + " .monkeytown/environments.yaml");
        }
    }

    private Deployment find(String id) {
        return records.view().deployment(id).orElseThrow(() -> new DeployRefusedException.NotFound("no deployment " + id));
    }

    private <T> CompletableFuture<T> onLoop(Callable<T> step) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                answer.complete(step.call());
            } catch (Exception e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
