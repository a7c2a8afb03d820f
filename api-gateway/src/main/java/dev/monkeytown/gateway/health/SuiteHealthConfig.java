package dev.monkeytown.gateway.health;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which services {@code /health} asks, and how long it waits for each. */
@ConfigMapping(prefix = "monkeytown.gateway.health")
public interface SuiteHealthConfig {

    /**
     * The services whose readiness makes up the suite's health, by name, each with its base URL (e.g.
     * {@code monkeytown.gateway.health.services.agent-dispatcher.url=http://agent-dispatcher:8080}), where the proxy
     * sends its requests, and its management interface
     * ({@code ...agent-dispatcher.management-url=http://agent-dispatcher:9000}), where readiness and the OpenAPI
     * document are asked. The gateway itself is always included and asked in-process.
     */
    Map<String, Downstream> services();

    /**
     * Longest wait for one service's readiness answer; a slower service counts as down. Above the services' own
     * readiness check timeouts (1 s), so a service with a failing dependency answers 503 in time to be named.
     */
    @WithDefault("3s")
    Duration probeTimeout();

    /**
     * How old an answer of {@code /health} may be: callers within this time share one round of probes (and callers
     * arriving while it runs wait for it), so an anonymous caller cannot multiply readiness probes across the suite.
     * {@code 0s}: every call probes.
     */
    @WithDefault("2s")
    Duration maxAge();

    interface Downstream {
        /** The service's public HTTP port: the API the proxy forwards to. */
        URI url();

        /** The service's management interface: {@code /q/health/ready}, {@code /q/openapi}. */
        URI managementUrl();
    }
}
