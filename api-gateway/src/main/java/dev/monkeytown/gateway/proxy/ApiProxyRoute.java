package dev.monkeytown.gateway.proxy;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.kit.security.InternalToken;

/**
 * Forwards every {@code /api/v1} route to the service that owns it (the webhook route is the gateway's own). Runs
 * last: path guard, authentication, rate limits, authorization and request limits have all let the request through.
 */
@ApplicationScoped
public class ApiProxyRoute {

    private final ServiceClients clients;
    private final CircuitBreakers breakers;
    private final ProxyConfig config;
    private final InternalToken internalToken;

    ApiProxyRoute(ServiceClients clients, CircuitBreakers breakers, ProxyConfig config, InternalToken internalToken) {
        this.clients = clients;
        this.breakers = breakers;
        this.config = config;
        this.internalToken = internalToken;
    }

    void install(@Observes Router router) {
        router.route("/api/v1*").order(GatewayOrder.PROXY).handler(this::forward);
    }

    private void forward(RoutingContext ctx) {
        Optional<ApiRoute> route = ApiRoute.match(ctx.request().path());
        if (route.isEmpty() || route.get() == ApiRoute.GITHUB_WEBHOOKS) {
            ctx.next();
            return;
        }
        CircuitBreaker breaker = breakers.of(route.get());
        CircuitBreaker.Permit permit = breaker.tryAcquire();
        if (!permit.granted()) {
            long seconds = Math.max(1, (permit.retryAfter().toMillis() + 999) / 1000);
            GatewayProblems.send(ctx, 503, route.get().service() + " is failing; the gateway stopped forwarding "
                    + route.get().prefix() + " for now. Retry after " + seconds + " s.",
                    refusalHeaders(ctx, Map.of("Retry-After", Long.toString(seconds))));
            return;
        }
        new ProxyExchange(ctx, clients.target(route.get().service()), breaker, config,
                internalToken.value().orElse(null)).start();
    }

    private static Map<String, String> refusalHeaders(RoutingContext ctx, Map<String, String> headers) {
        if (!ProxyExchange.hasBody(ctx.request())) {
            return headers;
        }
        var withClose = new java.util.HashMap<>(headers);
        withClose.put("Connection", "close"); // the body stays unread
        return withClose;
    }
}
