package dev.monkeytown.gateway.openapi;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the gateway's {@code /q/openapi} gathers the services' documents (their addresses: {@code /health}'s). */
@ConfigMapping(prefix = "monkeytown.gateway.openapi")
public interface PublicApiConfig {

    /** Longest wait for one service's {@code /q/openapi}; a slower service is listed as unavailable. */
    @WithDefault("2s")
    Duration fetchTimeout();

    /**
     * How long fetched documents (and failures) are reused, so that reading {@code /q/openapi} does not fan out to every
     * service each time. {@code 0s} fetches on every request.
     */
    @WithDefault("30s")
    Duration cacheTtl();
}
