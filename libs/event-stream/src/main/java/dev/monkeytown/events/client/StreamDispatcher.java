package dev.monkeytown.events.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.Gap;
import dev.monkeytown.events.Overflow;

/**
 * Turns frames into listener calls and keeps the resume position. It checks every event against that position rather
 * than trusting the producer alone: a repeat is dropped, and a jump the producer did not announce gets a gap of its
 * own, so the listener's "once, in order, or a gap" promise holds whatever arrives.
 */
final class StreamDispatcher {

    static final String GAP = "gap";
    static final String OVERFLOW = "overflow";

    private final EventStreamListener listener;
    private final ObjectMapper json;
    private volatile StreamPosition position; // written only on the client's context

    StreamDispatcher(EventStreamListener listener, ObjectMapper json) {
        this.listener = listener;
        this.json = json;
    }

    StreamPosition position() {
        return position;
    }

    void resumeFrom(StreamPosition from) {
        position = from;
    }

    /** Returns false when the frame ends the stream (overflow). */
    boolean dispatch(SseFrame frame) {
        try {
            if (GAP.equals(frame.event())) {
                Gap gap = json.readValue(frame.data(), Gap.class);
                // the gap is delivered, so a reconnect before the next event must not announce it again
                position = new StreamPosition(gap.epoch(), Math.max(0, gap.firstOffset() - 1));
                notify(() -> listener.onGap(gap));
                return true;
            }
            if (OVERFLOW.equals(frame.event())) {
                Overflow overflow = json.readValue(frame.data(), Overflow.class);
                Log.debugf("Producer cut the stream off after offset %d: %s", overflow.lastOffset(), overflow.detail());
                return false;
            }
            if (frame.id() == null) {
                Log.debugf("Ignoring SSE frame '%s' without an id", frame.event());
                return true;
            }
            event(json.readValue(frame.data(), Event.class));
        } catch (JsonProcessingException e) {
            // a frame we cannot read is a protocol fault; skipping it silently would break the promise
            throw new IllegalStateException("unreadable '" + frame.event() + "' frame: " + e.getOriginalMessage(), e);
        }
        return true;
    }

    private void event(Event event) {
        StreamPosition last = position;
        if (last != null && last.epoch().equals(event.epoch())) {
            if (event.offset() <= last.offset()) {
                Log.debugf("Dropping repeated event %s:%d", event.epoch(), event.offset());
                return;
            }
            if (event.offset() > last.offset() + 1) {
                Gap gap = new Gap(false, event.epoch(), last.offset(), event.offset(), Gap.EVICTED);
                notify(() -> listener.onGap(gap));
            }
        } else if (last != null) {
            Gap gap = new Gap(false, event.epoch(), last.offset(), event.offset(), Gap.EPOCH_CHANGED);
            notify(() -> listener.onGap(gap));
        }
        position = new StreamPosition(event.epoch(), event.offset());
        notify(() -> listener.onEvent(event));
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // the listener's fault, not the stream's: reconnecting would not help and would repeat nothing
            Log.errorf(e, "Event stream listener failed");
        }
    }
}
