package dev.monkeytown.deploy.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.monkeytown.deploy.deployments.DeploymentState;
import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.deploy.engine.EngineView;

/**
 * Ready once the recorded deployments are back in memory (a restart has settled the interrupted ones); reports the
 * deployments in flight, the paused environments and the problems in {@code environments.yaml}. No I/O.
 */
@Readiness
@ApplicationScoped
public class DeployReadiness implements HealthCheck {

    static final String NAME = "deployments";

    private final Instance<DeployEngine> engines;
    private final Instance<Environments> declared;

    DeployReadiness(Instance<DeployEngine> engines, Instance<Environments> declared) {
        this.engines = engines;
        this.declared = declared;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        DeployEngine engine = engines.get();
        Environments environments = declared.get();
        if (!engine.restored().isDone()) {
            return response.down().withData("status", "restoring deployments from the state branch").build();
        }
        if (engine.restored().isCompletedExceptionally()) {
            return response.down().withData("status", "the recorded deployments could not be read back").build();
        }
        EngineView view = engine.view();
        response.up().withData("runs", engine.onGitHub() ? "github-actions" : "local")
                .withData("environments", environments.catalog().environments().size())
                .withData("active", view.deployments().values().stream().filter(d -> d.state().isActive()).count())
                .withData("queued",
                        view.deployments().values().stream().filter(d -> d.state() == DeploymentState.QUEUED).count())
                .withData("paused", view.statuses().values().stream().filter(s -> s.isPaused()).count());
        if (!environments.catalog().problems().isEmpty()) {
            response.withData("problems", environments.catalog().problems().size()
                    + " problem(s) in environments.yaml");
        }
        return response.build();
    }
}
