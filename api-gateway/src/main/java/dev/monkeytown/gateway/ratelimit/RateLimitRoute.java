package dev.monkeytown.gateway.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.pipeline.AddressCharge;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.pipeline.Principal;

/**
 * Charges every request on the public port to the limiter after authentication, so a user is counted as a user
 * wherever they call from and everything else — webhook deliveries, {@code /health}, the API document, 404s — against
 * its address. Allowed requests carry the rate limit headers on to the response; refused ones end here with 429.
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

    void install(@Observes Router router) {
        if (!config.enabled()) {
            Log.info("Rate limits are off (monkeytown.gateway.rate-limit.enabled=false)");
            return;
        }
        limiter = RateLimiter.from(config, clock);
        Gauge.builder("monkeytown.gateway.ratelimit.tracked.clients", limiter, RateLimiter::trackedClients)
                .description("Client and user buckets held in memory").register(registry);
        router.route().order(GatewayOrder.RATE_LIMIT).handler(this::limit);
    }

    private void limit(RoutingContext ctx) {
        Principal caller = Principal.of(ctx);
        Classification request = Classification.of(ctx);
        RateDecision decision = caller.isAnonymous()
                ? limiter.acquireForAddress(request.client())
                : limiter.acquireForUser(caller.user());
        if (decision.allowed()) {
            if (request.isWebhookDelivery()) {
                // until its signature verifies, a delivery is any anonymous request; once it has, GitHub's few
                // shared addresses get their token back, so a busy repository never runs them dry
                AddressCharge charge = new OnceGivenBack(() -> limiter.giveBackToAddress(request.client()));
                charge.attachTo(ctx);
            }
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

    /** Gives back at most once, however often a stage asks. */
    private static final class OnceGivenBack implements AddressCharge {
        private final Runnable giveBack;
        private boolean given;

        OnceGivenBack(Runnable giveBack) {
            this.giveBack = giveBack;
        }

        @Override
        public void giveBack() {
            if (!given) {
                given = true;
                giveBack.run();
            }
        }
    }
}
