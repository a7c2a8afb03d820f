package dev.monkeytown.websocket.upstream;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.Gap;

/**
 * What the consumer of the producers' {@code /internal/events} streams hands to this service. Calls for one producer
 * come in stream order; calls for different producers may come from different threads at once. Never blocks.
 */
public interface UpstreamEvents {

    /** An event read from {@code producer}'s stream. Re-delivered events (offset not past the last one) are ignored. */
    void event(String producer, Event event);

    /**
     * The producer's {@code gap} frame: events were lost ({@code evicted}) or the producer restarted
     * ({@code epoch-changed}); the next event of that producer is {@code gap.firstOffset()} of {@code gap.epoch()}.
     */
    void gap(String producer, Gap gap);
}
