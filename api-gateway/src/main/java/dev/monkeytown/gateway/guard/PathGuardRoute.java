package dev.monkeytown.gateway.guard;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;

/**
 * Refuses malformed paths (400) and unknown {@code /api/v1} routes (404) before authentication, so nothing after it
 * sees a path that decodes into another route.
 */
@ApplicationScoped
public class PathGuardRoute {

    void install(@Observes Router router) {
        // every path, not only /api/v1*: Vert.x matches routes on the normalised path, so "/api/v1/../q/metrics"
        // would never reach a handler mounted on /api/v1 — only the raw path shows what the client sent
        router.route().order(GatewayOrder.PATH_GUARD).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        String raw = ctx.request().path();
        Optional<String> defect = RawPath.defect(raw);
        if (defect.isPresent()) {
            GatewayProblems.send(ctx, 400, "Malformed request path: " + defect.get()
                    + ". Send the path without dot segments, empty segments or encoded separators.");
            return;
        }
        if (isUnderApi(raw) && ApiRoute.match(raw).isEmpty()) {
            GatewayProblems.send(ctx, 404, "No such API route: " + raw + "; see /q/openapi for the public API.");
            return;
        }
        ctx.next();
    }

    static boolean isUnderApi(String path) {
        return path.equals(ApiRoute.API_PREFIX) || path.startsWith(ApiRoute.API_PREFIX + "/");
    }
}
