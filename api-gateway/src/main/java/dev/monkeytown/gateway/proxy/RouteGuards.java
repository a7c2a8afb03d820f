package dev.monkeytown.gateway.proxy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;

import dev.monkeytown.gateway.pipeline.ApiRoute;

/**
 * SmallRye Fault Tolerance guards around the proxy's exchanges with a service. One circuit breaker per public route, so
 * a failing deployments endpoint does not cut off environments of the same service: after {@code breaker.failures}
 * consecutive failures it refuses at once for {@code breaker.open-for}, then lets one trial through, whose outcome
 * closes or reopens it. A failure is the service's: no connection, a reset, no response head within the response
 * timeout. An HTTP 5xx is an answer, passed on as one; a {@link ClientFault} counts as a success — the service was
 * doing its part. A full pool ({@link GatewayBusy}) never reaches the breaker: the proxy takes its connection before it
 * asks the breaker, so requests queued behind a hung service neither open nor hold shut the breaker.
 * <p>
 * The response-head timeout is not a SmallRye {@code Timeout}: it must start when the upload ends (an upload's transfer
 * time is the client's), while a SmallRye timeout starts with the guarded call, which includes the upload. Nesting a
 * second guard per request inside the breaker's call would time the right interval, but costs a guard invocation per
 * proxied request for what one Vert.x timer does ({@code ProxyExchange#awaitHead}); its expiry fails the exchange inside
 * the breaker, so the breaker counts it all the same.
 */
@ApplicationScoped
public class RouteGuards {

    static final TypeLiteral<Future<HttpClientResponse>> EXCHANGE = new TypeLiteral<>() {
    };

    /** One route's breaker, and since when it has been open (for {@code Retry-After}). */
    static final class RouteGuard {
        private final TypedGuard<Future<HttpClientResponse>> guard;
        private final Duration openFor;
        private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
        private volatile long openedAt;

        private RouteGuard(ApiRoute route, ProxyConfig.CircuitBreakerConfig config, MeterRegistry registry) {
            this.openFor = config.openFor();
            this.guard = TypedGuard.create(EXCHANGE)
                    .withCircuitBreaker()
                    .requestVolumeThreshold(config.failures())
                    .failureRatio(1.0) // every one of the last N: N consecutive failures
                    .delay(config.openFor().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    // a client's fault is not the service failing
                    .skipOn(List.<Class<? extends Throwable>>of(ClientFault.class))
                    .onStateChange(this::changed)
                    .done()
                    // On an event loop, SmallRye's default resumes every guarded call through the event loop's task
                    // queue, twice (start and completion), with context propagation around each. The exchange is
                    // non-blocking and already on its event loop, so it runs inline: same thread, no hop.
                    .withThreadOffload(true)
                    .withThreadOffloadExecutor(Runnable::run)
                    .build();
            Gauge.builder("monkeytown.gateway.proxy.breaker.open", this,
                    g -> g.state == CircuitBreakerState.CLOSED ? 0 : 1)
                    .description("1 while the route's circuit breaker refuses or tries one request, 0 when closed")
                    .tag("route", route.prefix())
                    .register(registry);
        }

        /** The exchange, unless the breaker refuses it: then a failed future with a CircuitBreakerOpenException. */
        Future<HttpClientResponse> exchange(Supplier<Future<HttpClientResponse>> exchange) {
            return guard.get(exchange);
        }

        private void changed(CircuitBreakerState now) {
            if (now == CircuitBreakerState.OPEN) {
                openedAt = System.nanoTime();
            }
            state = now;
        }

        /**
         * Open, and its {@code open-for} not over: the breaker would refuse. Lets the proxy answer before it takes a
         * connection; the breaker itself still decides every request that is let on.
         */
        boolean refusesNow() {
            return state == CircuitBreakerState.OPEN && System.nanoTime() - openedAt < openFor.toNanos();
        }

        /** How long until the breaker lets a trial through; a second while a trial is under way. */
        Duration retryAfter() {
            Duration second = Duration.ofSeconds(1);
            if (state != CircuitBreakerState.OPEN) {
                return second;
            }
            Duration left = openFor.minusNanos(System.nanoTime() - openedAt);
            return left.compareTo(second) < 0 ? second : left;
        }
    }

    private final Map<ApiRoute, RouteGuard> routes = new EnumMap<>(ApiRoute.class);

    RouteGuards(ProxyConfig config, MeterRegistry registry) {
        for (ApiRoute route : ApiRoute.values()) {
            routes.put(route, new RouteGuard(route, config.breaker(), registry));
        }
    }

    RouteGuard of(ApiRoute route) {
        return routes.get(route);
    }
}
