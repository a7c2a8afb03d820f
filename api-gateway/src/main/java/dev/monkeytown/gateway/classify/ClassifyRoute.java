package dev.monkeytown.gateway.classify;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.ratelimit.RateLimitConfig;

/**
 * The first stage on the public port: classifies every request ({@link Classifier}) and attaches the result. Refuses
 * nothing itself — malformed requests are refused by the path guard after the rate limiter has counted them.
 */
@ApplicationScoped
class ClassifyRoute {

    private final ClientAddresses clients;

    ClassifyRoute(RateLimitConfig config) {
        this.clients = ClientAddresses.from(config.trustedProxies());
    }

    void install(@Observes Router router) {
        // every path: Vert.x matches routes on a normalised path, so "/api/v1/../q/metrics" would never reach a
        // handler mounted on /api/v1 — the raw path, judged here, is what the client sent
        router.route().order(GatewayOrder.CLASSIFY).handler(this::classify);
    }

    private void classify(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Classifier.classify(request.method().name(), request.path(), request.headers()::contains, clientKey(request))
                .attachTo(ctx);
        ctx.next();
    }

    private String clientKey(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        return clients.clientKey(peer == null ? null : peer.hostAddress(), request.headers().getAll("X-Forwarded-For"));
    }
}
