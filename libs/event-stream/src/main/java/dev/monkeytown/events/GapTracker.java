package dev.monkeytown.events;

import java.util.List;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * Turns one subscriber's events into SSE frames, inserting a {@code gap} frame when the next offset is not the one
 * expected. The log starts a late subscriber at its oldest retained event, so that first jump is how the stream learns,
 * without a second look at the log, that events were dropped.
 */
final class GapTracker {

    private long expected; // next offset the consumer should see; 0 = not known yet (subscribed to new events only)

    GapTracker(long after) {
        this.expected = after < 0 ? 0 : after + 1;
    }

    List<OutboundSseEvent> framesFor(Event event, Sse sse) {
        OutboundSseEvent frame = EventStreamResource.frame(sse, event);
        boolean gap = expected != 0 && event.offset() > expected;
        long after = expected - 1;
        expected = event.offset() + 1;
        if (gap) {
            return List.of(EventStreamResource.gap(sse, new Gap(false, event.epoch(), after, event.offset(), Gap.EVICTED)),
                    frame);
        }
        return List.of(frame);
    }
}
