package dev.monkeytown.gateway.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.pipeline.Principal;

/**
 * Charges every public request ({@code /api/v1/*}, {@code /ws}) to the limiter after authentication, so a user is
 * counted as a user wherever they call from. Allowed requests carry the rate limit headers on to the response; refused
 * ones end here with 429.
 */
@ApplicationScoped
class RateLimitRoute {

    @Inject
    RateLimitConfig config;

    @Inject
    RateLimitClock clock;

    @Inject
    MeterRegistry registry;

    private RateLimiter limiter;
    private ClientAddresses clients;

    void install(@Observes Router router) {
        if (!config.enabled()) {
            Log.info("Rate limits are off (monkeytown.gateway.rate-limit.enabled=false)");
            return;
        }
        limiter = RateLimiter.from(config, clock);
        clients = ClientAddresses.from(config.trustedProxies());
        Gauge.builder("monkeytown.gateway.ratelimit.tracked.clients", limiter, RateLimiter::trackedClients)
                .description("Client and user buckets held in memory").register(registry);
        router.route(ApiRoute.API_PREFIX + "/*").order(GatewayOrder.RATE_LIMIT).handler(this::limit);
        router.route("/ws").order(GatewayOrder.RATE_LIMIT).handler(this::limit);
    }

    private void limit(RoutingContext ctx) {
        Principal caller = Principal.of(ctx);
        RateDecision decision;
        if (ApiRoute.match(ctx.request().path()).filter(ApiRoute.GITHUB_WEBHOOKS::equals).isPresent()) {
            // GitHub delivers from a few shared addresses and never retries a refused delivery on its own, so a
            // per-IP bucket would lose events; the signature is this route's authentication
            decision = limiter.acquireGlobalOnly();
        } else if (caller.isAnonymous()) {
            decision = limiter.acquireForAddress(clientKey(ctx));
        } else {
            decision = limiter.acquireForUser(caller.user());
        }
        if (decision.allowed()) {
            decision.headers().forEach(ctx.response()::putHeader);
            ctx.next();
            return;
        }
        Counter.builder("monkeytown.gateway.ratelimit.refused").tag("policy", decision.reported().name())
                .register(registry).increment();
        GatewayProblems.send(ctx, 429, "Rate limit '" + decision.reported().name() + "' of "
                + decision.reported().perMinute() + " requests a minute reached; retry in "
                + decision.retryAfterSeconds() + " s.", decision.headers());
    }

    private String clientKey(RoutingContext ctx) {
        SocketAddress peer = ctx.request().remoteAddress();
        return clients.clientKey(peer == null ? null : peer.hostAddress(),
                ctx.request().headers().getAll("X-Forwarded-For"));
    }
}
