package dev.monkeytown.websocket;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "monkeytown.ws")
public interface WsConfig {

    /**
     * {@code true} (default): anyone the gateway lets through may watch. {@code false}: the upgrade needs the
     * gateway's {@code X-Monkeytown-User} and the internal token, i.e. an authenticated user behind the gateway.
     */
    @WithDefault("true")
    boolean anonymous();

    /** Events kept per topic for resume; default 10000. */
    @WithDefault("10000")
    int bufferSize();

    /** Largest client frame in bytes (UTF-8); larger closes the connection with 1009. Default 4096. */
    @WithDefault("4096")
    int maxFrameBytes();

    /** Client frames allowed per second per connection; more closes it with 1008. Default 20. */
    @WithDefault("20")
    int maxFramesPerSecond();

    /**
     * Live event frames a connection may have queued but not yet written to its socket; one more closes it with 4000
     * (it resumes from its last position). Replayed frames do not count, but all frames in flight are capped at this
     * plus {@code buffer-size}. Default 1000.
     */
    @WithDefault("1000")
    int maxPendingFrames();

    /** How often every connection is pinged (default 30s); browsers answer pings by themselves. */
    @WithDefault("30s")
    Duration pingInterval();

    /**
     * A connection that sent nothing, not even a pong, for this long is closed with 4001 (default 75s: two pings
     * unanswered). Must be longer than {@code ping-interval}.
     */
    @WithDefault("75s")
    Duration pongTimeout();
}
