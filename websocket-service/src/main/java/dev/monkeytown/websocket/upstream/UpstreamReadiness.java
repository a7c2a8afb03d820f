package dev.monkeytown.websocket.upstream;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports each producer's stream. Always UP: with a producer down the service still serves every connection and every
 * other topic, and a client that resumes later is told {@code recovered: false} if it missed anything; taking the pod
 * out of service would only disconnect browsers. A stream that is not open turns the status to {@code degraded}.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadiness implements HealthCheck {

    static final String NAME = "upstream";

    private final UpstreamLinks links;
    private final ProducersConfig config;

    UpstreamReadiness(UpstreamLinks links, ProducersConfig config) {
        this.links = links;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        if (!config.enabled()) {
            return response.withData("status", "off").build();
        }
        boolean allOpen = true;
        for (Map.Entry<String, UpstreamLinks.Link> entry : links.links().entrySet()) {
            UpstreamLinks.Link link = entry.getValue();
            allOpen &= link.open();
            response.withData(entry.getKey(), (link.open() ? "open, " : "down, ") + link.detail() + ", since "
                    + link.since());
        }
        return response.withData("status", allOpen ? "following" : "degraded").build();
    }
}
