package dev.monkeytown.websocket.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.events.Event;
import dev.monkeytown.websocket.protocol.ServerFrames;

class TopicLogTest {

    private final ObjectMapper json = new ObjectMapper();
    private final List<Long> latencies = new ArrayList<>();
    private final TopicLog log = new TopicLog(Topic.RUNS, 5, new ServerFrames(json), latencies::add);

    @Test
    void resumeReplaysExactlyTheMissedEventsThenLiveOnes() throws Exception {
        publish("e1", 1, 4);
        RecordingSubscriber subscriber = new RecordingSubscriber();

        assertTrue(log.subscribe(subscriber, new Position("e1", 2)));
        publish("e1", 5, 5);

        assertEquals("subscribed", frame(subscriber, 0).get("type").asText());
        assertEquals(2, frame(subscriber, 0).get("offset").asLong());
        assertEquals(List.of(3L, 4L, 5L), eventOffsets(subscriber));
    }

    @Test
    void resumeAtTheHeadReplaysNothing() throws Exception {
        publish("e1", 1, 3);
        RecordingSubscriber subscriber = new RecordingSubscriber();

        assertTrue(log.subscribe(subscriber, new Position("e1", 3)));

        assertEquals(List.of(), eventOffsets(subscriber));
    }

    @Test
    void evictedOffsetUnknownEpochAndFutureOffsetAreNotRecovered() throws Exception {
        publish("e1", 1, 8); // capacity 5 keeps 4..8
        assertTrue(log.subscribe(new RecordingSubscriber(), new Position("e1", 3)));
        assertFalse(log.subscribe(new RecordingSubscriber(), new Position("e1", 2)));
        assertFalse(log.subscribe(new RecordingSubscriber(), new Position("other", 7)));
        assertFalse(log.subscribe(new RecordingSubscriber(), new Position("e1", 9)));

        RecordingSubscriber fresh = new RecordingSubscriber();
        assertFalse(log.subscribe(fresh, null));
        assertEquals(8, frame(fresh, 0).get("offset").asLong());
        assertEquals("e1", frame(fresh, 0).get("epoch").asText());
    }

    @Test
    void aTopicWithNoEventsOfItsOwnResumesAcrossOtherTopicsOffsets() throws Exception {
        log.pass("e1", 1);
        RecordingSubscriber first = new RecordingSubscriber();
        log.subscribe(first, null); // at (e1, 1)
        log.pass("e1", 2);
        log.pass("e1", 3);

        RecordingSubscriber resumed = new RecordingSubscriber();
        assertTrue(log.subscribe(resumed, new Position("e1", 1)), "nothing of this topic was lost");
        assertEquals(List.of(), eventOffsets(resumed));

        publish("e1", 4, 4);
        log.pass("e1", 5);
        RecordingSubscriber later = new RecordingSubscriber();
        assertTrue(log.subscribe(later, new Position("e1", 2)));
        assertEquals(List.of(4L), eventOffsets(later));
    }

    @Test
    void producerRestartTellsSubscribersToRefetchAndDropsTheOldEpoch() throws Exception {
        publish("e1", 1, 3);
        RecordingSubscriber subscriber = new RecordingSubscriber();
        log.subscribe(subscriber, null);

        publish("e2", 1, 1);

        JsonNode notice = frame(subscriber, 1);
        assertEquals("subscribed", notice.get("type").asText());
        assertFalse(notice.get("recovered").asBoolean());
        assertEquals("e2", notice.get("epoch").asText());
        assertEquals(0, notice.get("offset").asLong());
        assertEquals("e2", frame(subscriber, 2).get("epoch").asText());
        assertFalse(log.subscribe(new RecordingSubscriber(), new Position("e1", 2)));
    }

    @Test
    void skippedOffsetsBreakReplayButRedeliveriesAreDropped() throws Exception {
        publish("e1", 1, 3);
        RecordingSubscriber subscriber = new RecordingSubscriber();
        log.subscribe(subscriber, null);

        publish("e1", 2, 3); // re-delivered after an upstream reconnect
        assertEquals(List.of(), eventOffsets(subscriber));

        publish("e1", 6, 6);
        assertFalse(frame(subscriber, 1).get("recovered").asBoolean());
        assertEquals(5, frame(subscriber, 1).get("offset").asLong());
        assertFalse(log.subscribe(new RecordingSubscriber(), new Position("e1", 3)));
        assertTrue(log.subscribe(new RecordingSubscriber(), new Position("e1", 5)));
    }

    @Test
    void eachEventIsSerializedOnceForAllSubscribersAndTimedOnce() {
        RecordingSubscriber a = new RecordingSubscriber();
        RecordingSubscriber b = new RecordingSubscriber();
        log.subscribe(a, null);
        log.subscribe(b, null);

        publish("e1", 1, 1);

        assertTrue(a.frames.get(1) == b.frames.get(1), "both receive the same String instance");
        assertEquals(1, latencies.size());
    }

    @Test
    void anEventIsOneTaskPerWriterAndFramesKeepTheOrderTheTopicDecided() throws Exception {
        QueuedExecutor loopA = new QueuedExecutor();
        QueuedExecutor loopB = new QueuedExecutor();
        List<RecordingSubscriber> onA = List.of(new RecordingSubscriber(loopA), new RecordingSubscriber(loopA),
                new RecordingSubscriber(loopA));
        RecordingSubscriber onB = new RecordingSubscriber(loopB);
        onA.forEach(s -> log.subscribe(s, null));
        log.subscribe(onB, null);
        loopA.runAll();
        loopB.runAll();

        publish("e1", 1, 2);
        assertEquals(2, loopA.tasks.size(), "one task per event for the three subscribers of loop A");
        assertEquals(2, loopB.tasks.size());

        // a resubscribe with replay, decided after events 1 and 2 but before they are written, queues behind them
        log.subscribe(onB, new Position("e1", 1));
        loopB.runAll();
        assertEquals(List.of(1L, 2L, 2L), eventOffsets(onB),
                "event 2 live, then the replay the client asked for, in that order");
        loopA.runAll();
        for (RecordingSubscriber subscriber : onA) {
            assertEquals(List.of(1L, 2L), eventOffsets(subscriber));
        }
        assertEquals(2, latencies.size(), "each event timed once, when its last subscriber was written");
    }

    /** An event loop that runs its tasks only when told, in order. */
    private static final class QueuedExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    @Test
    void unsubscribedReceivesNothingMore() {
        RecordingSubscriber subscriber = new RecordingSubscriber();
        log.subscribe(subscriber, null);
        assertTrue(log.unsubscribe(subscriber));

        publish("e1", 1, 1);

        assertEquals(1, subscriber.frames.size());
        assertEquals(0, log.subscriberCount());
    }

    private void publish(String epoch, long from, long to) {
        for (long offset = from; offset <= to; offset++) {
            log.append(new Event(epoch, offset, "run.started", "run-" + offset, Instant.EPOCH,
                    json.createObjectNode().put("n", offset)), System.nanoTime());
        }
    }

    private JsonNode frame(RecordingSubscriber subscriber, int index) throws Exception {
        return json.readTree(subscriber.frames.get(index));
    }

    private List<Long> eventOffsets(RecordingSubscriber subscriber) throws Exception {
        List<Long> offsets = new ArrayList<>();
        for (String text : subscriber.frames) {
            JsonNode frame = json.readTree(text);
            if ("event".equals(frame.get("type").asText())) {
                offsets.add(frame.get("offset").asLong());
            }
        }
        return offsets;
    }
}
