package dev.monkeytown.events;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sizes of this service's event log. */
@ConfigMapping(prefix = "monkeytown.events")
public interface EventsConfig {

    /**
     * How many recent events the log keeps (default 10000). A consumer that reconnects after more than this many
     * events gets a {@code gap} and refetches over REST, so size it to cover a websocket-service restart at peak rate.
     */
    @WithDefault("10000")
    @Min(1)
    int capacity();

    /**
     * How many live events one subscriber may fall behind before its stream is cut off with an {@code overflow} event
     * (default 1000). Bounds the memory a stalled consumer can pin; the consumer reconnects and resumes from its offset.
     */
    @WithDefault("1000")
    @Min(1)
    int subscriberBuffer();
}
