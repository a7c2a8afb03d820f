package dev.monkeytown.gateway.proxy;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.monkeytown.gateway.pipeline.ApiRoute;

/** One breaker per public route: a failing deployments endpoint does not cut off environments of the same service. */
@ApplicationScoped
public class CircuitBreakers {

    private final Map<ApiRoute, CircuitBreaker> breakers = new EnumMap<>(ApiRoute.class);

    CircuitBreakers(ProxyConfig config) {
        for (ApiRoute route : ApiRoute.values()) {
            breakers.put(route, new CircuitBreaker(config.breaker().failures(), config.breaker().openFor(),
                    System::nanoTime));
        }
    }

    CircuitBreaker of(ApiRoute route) {
        return breakers.get(route);
    }
}
