package dev.monkeytown.gateway.proxy;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the gateway talks to the services it proxies. Where each service lives is the one address book
 * {@code monkeytown.gateway.health.services.<service>.url}, shared with {@code /health}.
 */
@ConfigMapping(prefix = "monkeytown.gateway.proxy")
public interface ProxyConfig {

    /** Longest wait for a TCP connection (or a free pooled one) to a service; then 504. */
    @WithDefault("2s")
    Duration connectTimeout();

    /**
     * Longest wait for a service's response head once the request (and its body) has been sent; then 504. Counted from
     * the end of the upload, so a large artifact upload is not cut short by its own transfer time.
     */
    @WithDefault("10s")
    Duration responseTimeout();

    /**
     * A body transfer (either way) that moves no byte for this long is abandoned. Bodies have no total timeout: a
     * large artifact may take minutes, but a stalled one must not hold a connection forever.
     */
    @WithDefault("60s")
    Duration idleTimeout();

    /** Keep-alive connections per service unless {@link #servicePoolSize()} names it. */
    @WithDefault("64")
    int poolSize();

    /** Pool size per service, e.g. {@code monkeytown.gateway.proxy.service-pool-size.artifact-service=16}. */
    Map<String, Integer> servicePoolSize();

    CircuitBreakerConfig breaker();

    interface CircuitBreakerConfig {

        /** Consecutive failures (refused, reset, timed out) of one route that open its breaker. */
        @WithDefault("5")
        int failures();

        /** How long an open breaker answers 503 before letting one trial request through. */
        @WithDefault("10s")
        Duration openFor();
    }
}
