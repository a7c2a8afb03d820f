package dev.monkeytown.gateway.proxy;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the gateway talks to the services it proxies. Where each service lives is the one address book
 * {@code monkeytown.gateway.health.services.<service>.url}, shared with {@code /health}.
 */
@ConfigMapping(prefix = "monkeytown.gateway.proxy")
public interface ProxyConfig {

    /** Longest wait for a TCP connection to a service; then 504 (the service's failure). */
    @WithDefault("2s")
    Duration connectTimeout();

    /**
     * Longest wait for a free pooled connection when all {@link #poolSize()} are in use; then 503 with
     * {@code Retry-After}. That is the gateway's own overload (clients downloading or uploading slowly hold the
     * connections), so it never counts against the service in the route's breaker.
     */
    @WithDefault("1s")
    Duration poolWaitTimeout();

    /** Most requests waiting for a pooled connection per service; one more is refused at once with 503. */
    @WithDefault("128")
    int poolMaxWaiting();

    /**
     * Longest wait for a service's response head once the request (and its body) has been sent; then 504. Counted from
     * the end of the upload, so a large artifact upload is not cut short by its own transfer time.
     */
    @WithDefault("10s")
    Duration responseTimeout();

    /**
     * The same wait after the last byte of a registry blob upload
     * ({@code POST|PATCH|PUT /v2/<name>/blobs/uploads/...}): artifact-service answers only once the blob is verified,
     * fsynced, stored and its record committed, which for hundreds of MB takes longer than an ordinary answer. Below
     * {@code quarkus.http.idle-timeout} (45 s), which otherwise closes the client's silent connection first.
     */
    @WithDefault("40s")
    Duration blobResponseTimeout();

    /**
     * A response body that moves no byte for this long is abandoned, and so is an upload the service stops reading for
     * this long (a failure of the service). Bodies have no total timeout: a large artifact may take minutes, but a
     * stalled one must not hold a connection forever. Shorter than {@code quarkus.http.idle-timeout} (45 s): the client's
     * connection is as silent as the stalled body, and Quarkus would otherwise close it first, before this check could
     * say which service stalled.
     */
    @WithDefault("30s")
    Duration idleTimeout();

    /**
     * How long a client has to send a request body's first {@link #bodyPrefetch()} bytes (or all of it, if smaller)
     * before the gateway takes a connection to the service; then 408. Also the window in which a longer body must keep
     * up {@link #minBodyRate()}.
     */
    @WithDefault("10s")
    Duration bodyTimeout();

    /** A body at least this large counts as flowing once this much has arrived; smaller bodies are read whole first. */
    @WithDefault("64K")
    MemorySize bodyPrefetch();

    /**
     * Slowest request body accepted, in bytes per second averaged over each {@link #bodyTimeout()} (unless the service
     * itself held the body back); a slower client is refused with 408 and its connection to the service closed. A
     * flowing upload holds one of the service's pooled connections: at 64 KB/s a 25 MB artifact still takes under seven
     * minutes, while at 1 KB/s a pool of 64 could be held for hours by 64 clients sending 64 MB in all.
     */
    @WithDefault("64K")
    MemorySize minBodyRate();

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
