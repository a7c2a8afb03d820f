package dev.monkeytown.build.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.engine.EngineView;

/** Ready once the live builds are back in memory; reports the queue and the declared pipelines. No I/O. */
@Readiness
@ApplicationScoped
public class BuildReadiness implements HealthCheck {

    static final String NAME = "builds";

    private final BuildEngine engine;
    private final Pipelines pipelines;

    BuildReadiness(BuildEngine engine, Pipelines pipelines) {
        this.engine = engine;
        this.pipelines = pipelines;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (!engine.restored().isDone()) {
            return response.down().withData("status", "restoring live builds from the state branch").build();
        }
        EngineView view = engine.view();
        response.up().withData("queued", view.queued()).withData("active", view.active())
                .withData("pipelines", pipelines.catalog().pipelines().size());
        if (!pipelines.catalog().problems().isEmpty()) {
            response.withData("problems", pipelines.catalog().problems().size() + " problem(s) in builds.yaml");
        }
        return response.build();
    }
}
