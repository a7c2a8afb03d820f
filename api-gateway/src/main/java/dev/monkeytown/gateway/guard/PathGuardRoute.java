package dev.monkeytown.gateway.guard;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.classify.Classifier;
import dev.monkeytown.gateway.classify.Destination;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;

/**
 * Refuses malformed requests (400) and paths nothing on the public port answers (404: unknown {@code /api/v1} routes,
 * {@code /internal}, {@code /q}, anything else) — after the rate limiter, so a flood of them is counted like any other.
 */
@ApplicationScoped
public class PathGuardRoute {

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.PATH_GUARD).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        Classification request = Classification.of(ctx);
        if (request.defect().isPresent()) {
            GatewayProblems.send(ctx, 400, request.defect().get(), Map.of());
        } else if (request.destination() == Destination.NOWHERE) {
            GatewayProblems.send(ctx, 404, "No such route: " + ctx.request().path() + "; the public API is described "
                    + "at " + Classifier.API_DOCUMENT_PATH + ".", Map.of());
        } else {
            ctx.next();
        }
    }
}
