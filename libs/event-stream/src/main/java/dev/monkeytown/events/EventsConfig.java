package dev.monkeytown.events;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sizes of this service's event log and the pace of its stream's heartbeats. */
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

    /**
     * How long an open stream may go without a byte before it gets a {@code : ping} comment (default 15s; the ping
     * goes out up to a quarter interval later). Consumers reopen a stream that stays silent for their idle timeout (45
     * s in EventStreamClient), so keep this at a third of that or less. A connection to a consumer that vanished is
     * also noticed at the latest when a ping fails to write.
     */
    @WithDefault("15s")
    @DurationMin(millis = 1)
    Duration heartbeatInterval();
}
