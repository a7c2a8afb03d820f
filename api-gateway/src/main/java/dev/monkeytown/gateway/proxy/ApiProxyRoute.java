package dev.monkeytown.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.kit.security.InternalToken;

/**
 * Forwards every API request to the service that owns its route. Runs last: classification, authentication, rate
 * limits, the path guard, authorization and request limits have all let the request through.
 */
@ApplicationScoped
public class ApiProxyRoute {

    private final ServiceClients clients;
    private final RouteGuards guards;
    private final ProxyConfig config;
    private final InternalToken internalToken;
    private final Counter bodiesAwaited;

    ApiProxyRoute(ServiceClients clients, RouteGuards guards, ProxyConfig config, InternalToken internalToken,
            MeterRegistry registry) {
        this.clients = clients;
        this.guards = guards;
        this.config = config;
        this.internalToken = internalToken;
        this.bodiesAwaited = Counter.builder("monkeytown.gateway.proxy.bodies.awaited")
                .description("Request bodies whose start the gateway waited for before taking a connection to the service")
                .register(registry);
    }

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.PROXY).handler(this::forward);
    }

    private void forward(RoutingContext ctx) {
        Classification request = Classification.of(ctx);
        if (!request.isApi()) {
            ctx.next();
            return;
        }
        new ProxyExchange(ctx, clients.target(request.route().service()), guards.of(request.route()), config,
                internalToken.value().orElse(null), bodiesAwaited).start();
    }
}
