package dev.monkeytown.events.client;

import java.time.Duration;

/**
 * Timings of an {@link EventStreamClient}.
 *
 * @param initialBackoff wait before the first reconnect after a failure; doubles per failed attempt
 * @param maxBackoff the longest wait between attempts; also the wait after a 401, since a wrong token is not fixed fast
 * @param idleTimeout a stream that delivers no bytes for this long is treated as dead and reopened (resuming by
 *        offset); producers send a {@code : ping} comment after 15 s of quiet, so the default of 45 s is three missed
 *        heartbeats, and a connection whose producer vanished without closing it is noticed within that
 * @param connectTimeout TCP connect timeout, and the timeout of the head request
 * @param maxFrameBytes a longer SSE frame is treated as a broken stream
 */
public record EventStreamSettings(Duration initialBackoff, Duration maxBackoff, Duration idleTimeout,
        Duration connectTimeout, int maxFrameBytes) {

    public EventStreamSettings {
        positive(initialBackoff, "initialBackoff");
        positive(maxBackoff, "maxBackoff");
        positive(idleTimeout, "idleTimeout");
        positive(connectTimeout, "connectTimeout");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + maxFrameBytes);
        }
    }

    /** 100 ms doubling to 10 s, 45 s idle timeout, 5 s connect timeout, 1 MiB frames. */
    public static EventStreamSettings defaults() {
        return new EventStreamSettings(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(45),
                Duration.ofSeconds(5), 1 << 20);
    }

    public EventStreamSettings withBackoff(Duration initial, Duration max) {
        return new EventStreamSettings(initial, max, idleTimeout, connectTimeout, maxFrameBytes);
    }

    public EventStreamSettings withIdleTimeout(Duration idle) {
        return new EventStreamSettings(initialBackoff, maxBackoff, idle, connectTimeout, maxFrameBytes);
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
