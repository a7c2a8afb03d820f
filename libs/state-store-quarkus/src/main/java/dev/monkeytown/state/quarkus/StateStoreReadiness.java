package dev.monkeytown.state.quarkus;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.engine.GroupCommitStateBranch;

/**
 * Ready only while the state branch can be read: a service that cannot record what it is asked to do must not get
 * traffic, unless {@code monkeytown.state.readiness-when-unavailable=degraded} says its reads are worth serving from
 * the in-memory view meanwhile. Refreshing the head is the cheapest real round-trip (a 304 on GitHub).
 */
@Readiness
@ApplicationScoped
public class StateStoreReadiness implements AsyncHealthCheck {

    static final String NAME = "state-store";

    private final GroupCommitStateBranch branch;
    private final StateStoreConfig config;

    StateStoreReadiness(GroupCommitStateBranch branch, StateStoreConfig config) {
        this.branch = branch;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return branch.refresh()
                .ifNoItem().after(config.readinessTimeout()).fail()
                .map(ignored -> HealthCheckResponse.named(NAME)
                        .withData("branch", branch.branch())
                        .withData("backend", config.backend().name().toLowerCase())
                        .up()
                        .build())
                .onFailure().recoverWithItem(failure -> {
                    boolean degraded = config.readinessWhenUnavailable() == StateStoreConfig.WhenUnavailable.DEGRADED
                            && branch.hasView();
                    return HealthCheckResponse.named(NAME)
                            .withData("branch", branch.branch())
                            .withData("backend", config.backend().name().toLowerCase())
                            .withData("error", failure.getClass().getSimpleName()
                                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage()))
                            .withData("status", degraded ? "degraded" : "down")
                            .status(degraded)
                            .build();
                });
    }
}
