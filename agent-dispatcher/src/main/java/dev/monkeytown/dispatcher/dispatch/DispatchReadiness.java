package dev.monkeytown.dispatcher.dispatch;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.monkeytown.dispatcher.registry.AgentRegistry;

/**
 * Ready once the live runs are back in memory. A paused dispatch (runner or store unreachable) is reported as
 * {@code degraded} but stays up: queued runs wait, reads and queueing keep working from the view, and taking the pod
 * out of service would only turn a paused dispatcher into an unreachable one.
 */
@Readiness
@ApplicationScoped
public class DispatchReadiness implements HealthCheck {

    static final String NAME = "dispatch";

    private final Dispatcher dispatcher;
    private final AgentRegistry registry;

    DispatchReadiness(Dispatcher dispatcher, AgentRegistry registry) {
        this.dispatcher = dispatcher;
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        if (!dispatcher.restored().isDone()) {
            return response.down().withData("status", "restoring live runs from the state branch").build();
        }
        response.withData("queued", dispatcher.queuedCount()).withData("active", dispatcher.activeCount())
                .withData("agents", registry.catalog().map(c -> c.agents().size()).orElse(0));
        if (registry.catalog().isEmpty()) {
            response.withData("declarations", "not read yet");
        }
        if (dispatcher.quarantinedCount() > 0) {
            response.withData("quarantined", dispatcher.quarantinedCount() + " live run record(s) in quarantine/ of "
                    + "the state branch: read the reasons there");
        }
        return dispatcher.pausedBecause()
                .map(reason -> response.up().withData("status", "degraded").withData("paused", reason))
                .orElseGet(() -> response.up().withData("status", "dispatching")).build();
    }
}
