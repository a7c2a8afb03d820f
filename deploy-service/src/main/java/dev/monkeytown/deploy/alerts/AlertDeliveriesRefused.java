package dev.monkeytown.deploy.alerts;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Counts the deliveries the internal-token check refused before the receiver saw them: a 401 here is Alertmanager with
 * a stale token file (or someone outside the trust zone), which the other outcomes would not show.
 */
public class AlertDeliveriesRefused {

    private final AlertMetrics metrics;

    AlertDeliveriesRefused(AlertMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerResponseFilter
    public void countRefusals(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 401 && request.getUriInfo().getPath().equals("/internal/alerts")) {
            metrics.delivery("refused");
        }
    }
}
