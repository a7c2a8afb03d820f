package dev.monkeytown.gateway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.classify.Destination;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.Principal;

/**
 * Authentication for {@code /ws} upgrades. A browser cannot set {@code Authorization} on {@code new WebSocket(...)},
 * so besides the header this route accepts the token as {@code access_token} query parameter ({@link AccessTokenQuery})
 * or as a subprotocol ({@link BearerSubprotocol}). It decides as {@link AuthenticationRoute} does: a valid token makes
 * the {@link Principal}, none means anonymous (websocket-service decides whether anonymous viewers may connect), and a
 * wrong one is refused only after the rate limiter has counted it. The proxy removes both extra forms before the
 * upgrade goes on to websocket-service.
 */
@ApplicationScoped
class WebSocketAuthenticationRoute {

    @Inject
    TokenRegistry tokens;

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.AUTHENTICATION).handler(this::authenticate);
        router.route().order(GatewayOrder.AUTHORIZATION).handler(this::refuseInvalidToken);
    }

    private static boolean isWebSocket(RoutingContext ctx) {
        return Classification.of(ctx).destination() == Destination.WEBSOCKET;
    }

    private void authenticate(RoutingContext ctx) {
        if (!isWebSocket(ctx)) {
            ctx.next();
            return;
        }
        List<Optional<String>> presented = presented(ctx.request());
        if (presented.size() > 1) {
            // refused before the limiter: no token is looked up, so there is nothing to learn by repeating it
            BearerChallenge.severalCredentials(ctx, presented.size());
            return;
        }
        if (presented.size() == 1) {
            Optional<Principal> principal = presented.get(0).flatMap(tokens::principalFor);
            if (principal.isPresent()) {
                principal.get().attachTo(ctx);
            } else {
                AuthenticationRoute.markInvalidToken(ctx);
            }
        }
        ctx.next();
    }

    private void refuseInvalidToken(RoutingContext ctx) {
        if (isWebSocket(ctx) && AuthenticationRoute.presentedInvalidToken(ctx)) {
            BearerChallenge.invalidWebSocketToken(ctx);
        } else {
            ctx.next();
        }
    }

    /** Every credential the request carries, in any form; each is the token, or empty when malformed. */
    private static List<Optional<String>> presented(HttpServerRequest request) {
        List<Optional<String>> presented = new ArrayList<>();
        for (String authorization : request.headers().getAll(HttpHeaders.AUTHORIZATION)) {
            presented.add(AuthenticationRoute.tokenOf(authorization));
        }
        presented.addAll(AccessTokenQuery.tokens(request.query()));
        presented.addAll(BearerSubprotocol.tokens(request.headers()));
        return presented;
    }
}
