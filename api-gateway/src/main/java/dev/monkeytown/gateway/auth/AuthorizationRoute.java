package dev.monkeytown.gateway.auth;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.pipeline.Principal;
import dev.monkeytown.gateway.pipeline.Role;

/** Lets an API request on only if its caller has the role its access needs ({@link AccessPolicy}): 401, 403. */
@ApplicationScoped
class AuthorizationRoute {

    /** Where a repository-scoped token is accepted: artifact-service enforces its scope there. */
    private static final Set<ApiRoute> SCOPED_ROUTES = EnumSet.of(ApiRoute.REGISTRY, ApiRoute.ARTIFACTS);

    @Inject
    AuthConfig config;

    private AccessPolicy policy;

    void install(@Observes Router router) {
        policy = new AccessPolicy(config.anonymousReads());
        router.route().order(GatewayOrder.AUTHORIZATION).handler(this::authorize);
    }

    private void authorize(RoutingContext ctx) {
        Classification request = Classification.of(ctx);
        if (!request.isApi()) {
            ctx.next();
            return;
        }
        if (AuthenticationRoute.presentedInvalidToken(ctx)) {
            BearerChallenge.invalidToken(ctx);
            return;
        }
        Role needed = policy.required(request.access());
        Principal caller = Principal.of(ctx);
        String what = request.method() + " " + request.path();
        if (!caller.repositories().isEmpty() && !SCOPED_ROUTES.contains(request.route())) {
            // a token limited to some repositories is a registry credential (CI pushing builds/**): its role must not
            // reach the agents, builds or deployments, where no repository limits it
            GatewayProblems.send(ctx, 403, what + ": the token of " + caller.user() + " is limited to repositories "
                    + String.join(", ", caller.repositories()) + " and is good only for /v2 and /api/v1/artifacts.",
                    Map.of());
        } else if (caller.role().includes(needed)) {
            ctx.next();
        } else if (caller.isAnonymous()) {
            BearerChallenge.tokenRequired(ctx, what + " needs a bearer token with the " + needed.jsonName()
                    + " role or above.");
        } else {
            GatewayProblems.send(ctx, 403, what + " needs the " + needed.jsonName() + " role or above; the token of "
                    + caller.user() + " has " + caller.role().jsonName() + ".", Map.of());
        }
    }
}
