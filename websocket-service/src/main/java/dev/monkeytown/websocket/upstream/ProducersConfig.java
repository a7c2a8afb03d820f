package dev.monkeytown.websocket.upstream;

import java.net.URI;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the producers of live state are: each serves its events at {@code <url>/internal/events}. */
@ConfigMapping(prefix = "monkeytown.ws.upstream")
public interface ProducersConfig {

    /** By producer (service) name; local defaults in application.properties, Kubernetes sets the service DNS names. */
    Map<String, Producer> producers();

    /** Off only in tests that feed the hub directly. */
    @WithDefault("true")
    boolean enabled();

    interface Producer {
        URI url();
    }
}
