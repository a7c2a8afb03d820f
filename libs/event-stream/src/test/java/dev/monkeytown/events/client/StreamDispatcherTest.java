package dev.monkeytown.events.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.events.Gap;

/** The client's own guard: whatever the producer sends, the listener gets each event once, in order, or a gap. */
class StreamDispatcherTest {

    private final RecordingListener listener = new RecordingListener();
    private final StreamDispatcher dispatcher = new StreamDispatcher(listener, new ObjectMapper().findAndRegisterModules());

    @Test
    void aRepeatedEventIsDroppedAndAnUnannouncedJumpGetsAGap() {
        dispatcher.resumeFrom(new StreamPosition("e1", 4));
        assertTrue(dispatcher.dispatch(event("e1", 5)));
        assertTrue(dispatcher.dispatch(event("e1", 5)));
        assertTrue(dispatcher.dispatch(event("e1", 3)));
        assertTrue(dispatcher.dispatch(event("e1", 8)));

        assertEquals(List.of(5L, 8L), listener.offsets());
        assertEquals(List.of(new Gap(false, "e1", 5, 8, Gap.EVICTED)), listener.gaps());
        assertEquals(new StreamPosition("e1", 8), dispatcher.position());
    }

    @Test
    void anotherEpochWithoutAGapFrameStillGetsOne() {
        dispatcher.resumeFrom(new StreamPosition("e1", 4));
        dispatcher.dispatch(event("e2", 1));
        assertEquals(List.of(new Gap(false, "e2", 4, 1, Gap.EPOCH_CHANGED)), listener.gaps());
        assertEquals(List.of(1L), listener.offsets());
    }

    @Test
    void aGapFrameMovesTheResumePointSoAReconnectDoesNotRepeatIt() {
        dispatcher.resumeFrom(new StreamPosition("e1", 4));
        dispatcher.dispatch(new SseFrame(null, "gap",
                "{\"recovered\":false,\"epoch\":\"e2\",\"after\":4,\"firstOffset\":1,\"reason\":\"epoch-changed\"}"));
        assertEquals(new StreamPosition("e2", 0), dispatcher.position());
        dispatcher.dispatch(event("e2", 1));
        assertEquals(1, listener.gaps().size(), "the producer's gap only");
    }

    @Test
    void overflowEndsTheStreamAndAnUnreadableFrameIsAFault() {
        dispatcher.resumeFrom(new StreamPosition("e1", 4));
        assertFalse(dispatcher.dispatch(new SseFrame(null, "overflow",
                "{\"epoch\":\"e1\",\"lastOffset\":4,\"detail\":\"slow\"}")));
        assertThrows(IllegalStateException.class, () -> dispatcher.dispatch(new SseFrame("e1:5", "run.queued", "{no")));
        assertEquals(List.of(), listener.calls);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheStream() {
        StreamDispatcher throwing = new StreamDispatcher(new EventStreamListener() {
            @Override
            public void onEvent(dev.monkeytown.events.Event event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onGap(Gap gap) {
            }
        }, new ObjectMapper().findAndRegisterModules());
        throwing.resumeFrom(new StreamPosition("e1", 0));
        assertTrue(throwing.dispatch(event("e1", 1)));
        assertEquals(new StreamPosition("e1", 1), throwing.position());
    }

    private static SseFrame event(String epoch, long offset) {
        return new SseFrame(epoch + ":" + offset, "run.queued", "{\"epoch\":\"" + epoch + "\",\"offset\":" + offset
                + ",\"type\":\"run.queued\",\"subject\":\"r\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":null}");
    }
}
