package dev.monkeytown.gateway.proxy;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits of {@code /ws} tunnels. An upgrade is one request to the rate limiter, but the connection it opens lives for
 * hours, so open connections are capped too.
 */
@ConfigMapping(prefix = "monkeytown.gateway.ws")
public interface WebSocketConfig {

    /** Open connections from one anonymous client address (IPv6: one /64); more are refused with 429. */
    @WithDefault("50")
    int maxConnectionsPerIp();

    /** Open connections of one authenticated user, from whatever addresses; more are refused with 429. */
    @WithDefault("20")
    int maxConnectionsPerUser();

    /**
     * Bytes the gateway queues per direction of one tunnel before it stops reading the other side (back-pressure): a
     * browser that does not read makes websocket-service's own send queue fill, not the gateway's heap.
     */
    @WithDefault("64K")
    MemorySize maxQueuedBytes();
}
