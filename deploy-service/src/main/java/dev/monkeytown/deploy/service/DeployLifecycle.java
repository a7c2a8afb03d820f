package dev.monkeytown.deploy.service;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;
import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.deploy.gitops.SourceRepository;
import dev.monkeytown.deploy.preconditions.BuildRecords;
import dev.monkeytown.deploy.preconditions.Preconditions;
import dev.monkeytown.state.quarkus.WriterTakeover;

/**
 * Starts the deployment engine once this instance holds the state branch, and deploys automatically: for every
 * {@code autoDeploy} environment, a head of its branch that was never deployed there is deployed once the required
 * pipelines succeeded for it (asked again at every poll until they have). A pause after a revert holds until the branch
 * has a newer commit than the one it paused at; other pauses until an operator resumes.
 */
@Singleton
public class DeployLifecycle {

    private final DeployEngine engine;
    private final Environments environments;
    private final SourceRepository repository;
    private final Preconditions preconditions;
    private final DeployEvents events;
    private final WriterTakeover takeover;
    /** Owned by the (non-concurrent) poll: the head each environment was last deployed or judged at. */
    private final Map<String, String> settled = new HashMap<>();

    DeployLifecycle(DeployEngine engine, Environments environments, SourceRepository repository,
            Preconditions preconditions, DeployEvents events, WriterTakeover takeover) {
        this.engine = engine;
        this.environments = environments;
        this.repository = repository;
        this.preconditions = preconditions;
        this.events = events;
        this.takeover = takeover;
    }

    void start() {
        events.watch(engine);
        refresh();
        takeover.held().thenRun(engine::start);
    }

    private void refresh() {
        try {
            environments.refresh();
            environments.catalog().environments().keySet().forEach(events::watchEnvironment);
        } catch (IOException | RuntimeException e) {
            Log.warnf("Could not read %s: %s", "environments.yaml", e.toString());
        }
    }

    /** Whether an {@code autoDeploy} environment deploys {@code branch} (a push to it is looked at at once). */
    public boolean follows(String branch) {
        return environments.catalog().environments().values().stream()
                .anyMatch(e -> e.autoDeploy() && e.branch().equals(branch));
    }

    /** Re-reads environments.yaml and looks for automatic deploys; at every poll, and at once on a push. */
    public synchronized void poll() {
        refresh();
        if (!engine.restored().isDone() || engine.restored().isCompletedExceptionally()) {
            return;
        }
        for (Environment environment : environments.catalog().environments().values()) {
            if (environment.autoDeploy()) {
                try {
                    follow(environment);
                } catch (Exception e) {
                    Log.warnf("Automatic deploy of %s not decided this time: %s", environment.name(), e.toString());
                }
            }
        }
    }

    private void follow(Environment environment) throws Exception {
        Optional<SourceRepository.Commit> head = repository.head(environment.branch());
        if (head.isEmpty() || head.get().sha().equals(settled.get(environment.name()))) {
            return;
        }
        String sha = head.get().sha();
        boolean attempted = engine.view().ledger(environment.name()).newestFirst().stream().map(Deployment::sha)
                .anyMatch(sha::equals);
        if (attempted) {
            settled.put(environment.name(), sha); // never deploy the same commit twice by itself (a bad one above all)
            return;
        }
        if (!engine.headMoved(environment.name(), sha).get(30, TimeUnit.SECONDS)) {
            return; // paused: looked at again at every poll
        }
        Preconditions.Verdict verdict;
        try {
            verdict = preconditions.check(environment, sha, head.get().tree());
        } catch (BuildRecords.BuildsUnavailableException e) {
            Log.debugf("build-service not asked about %s: %s", sha, e.getMessage());
            return;
        }
        if (verdict instanceof Preconditions.Verdict.Met met) {
            Deployment queued = engine.request(environment.name(), head.get(), DeploymentKind.DEPLOY, met.artifacts(),
                    "deploy-service").get(30, TimeUnit.SECONDS);
            Log.infof("Deploying %s to %s automatically (deployment %s)", sha, environment.name(), queued.id());
            settled.put(environment.name(), sha);
        }
        // unmet: the build may still be running; asked again at the next poll
    }
}
