package dev.monkeytown.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.pipeline.Principal;
import dev.monkeytown.gateway.pipeline.Role;

/** Lets a request on only if its caller has the role {@link AccessPolicy} asks for: 401 anonymous, 403 too low. */
@ApplicationScoped
class AuthorizationRoute {

    @Inject
    AuthConfig config;

    private AccessPolicy policy;

    void install(@Observes Router router) {
        policy = new AccessPolicy(config.anonymousReads());
        router.route(ApiRoute.API_PREFIX + "/*").order(GatewayOrder.AUTHORIZATION).handler(this::authorize);
    }

    private void authorize(RoutingContext ctx) {
        if (AuthenticationRoute.isGithubWebhook(ctx)) {
            ctx.next();
            return;
        }
        if (AuthenticationRoute.presentedInvalidToken(ctx)) {
            BearerChallenge.invalidToken(ctx);
            return;
        }
        String method = ctx.request().method().name();
        Role needed = policy.required(method, ctx.normalizedPath());
        Principal caller = Principal.of(ctx);
        if (caller.role().includes(needed)) {
            ctx.next();
        } else if (caller.isAnonymous()) {
            BearerChallenge.tokenRequired(ctx, method + " " + ctx.normalizedPath() + " needs a bearer token with the "
                    + needed.jsonName() + " role or above.");
        } else {
            GatewayProblems.send(ctx, 403, method + " " + ctx.normalizedPath() + " needs the " + needed.jsonName()
                    + " role or above; the token of " + caller.user() + " has " + caller.role().jsonName() + ".");
        }
    }
}
