package dev.monkeytown.build.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.engine.EngineView;

/**
 * Ready once the live builds are back in memory and the watched branches' heads decided on (a push from then on is
 * built); reports the queue and the declared pipelines. No I/O.
 */
@Readiness
@ApplicationScoped
public class BuildReadiness implements HealthCheck {

    static final String NAME = "builds";

    private final Instance<BuildEngine> engines;
    private final Instance<Pipelines> declared;
    private final Instance<BuildLifecycle> lifecycle;

    BuildReadiness(Instance<BuildEngine> engines, Instance<Pipelines> declared,
            Instance<BuildLifecycle> lifecycle) {
        this.engines = engines;
        this.declared = declared;
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        BuildEngine engine = engines.get();
        Pipelines pipelines = declared.get();
        if (!engine.restored().isDone()) {
            return response.down().withData("status", "restoring live builds from the state branch").build();
        }
        if (!lifecycle.get().watching().isDone()) {
            return response.down().withData("status", "reading the watched branches' heads").build();
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
