package dev.monkeytown.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;

class EventLogTest {

    record RunQueued(String agent, int position) {
    }

    @Test
    void offsetsStartAtOneAndIncreaseByOneWithinOneEpoch() {
        EventLog log = EventLog.inMemory(10, 10);
        Event first = log.publish("run.queued", "run-1", new RunQueued("builder", 1));
        Event second = log.publish("run.started", "run-1", null);

        assertEquals(1, first.offset());
        assertEquals(2, second.offset());
        assertEquals(log.epoch(), first.epoch());
        assertEquals("builder", first.data().get("agent").asText());
        assertEquals(1, first.data().get("position").asInt());
        assertTrue(second.data().isNull());
        assertEquals(new Head(log.epoch(), 2), log.head());
    }

    @Test
    void everyLogHasItsOwnEpoch() {
        assertNotEquals(EventLog.inMemory(1, 1).epoch(), EventLog.inMemory(1, 1).epoch());
    }

    @Test
    void oldestEventsAreDroppedPastCapacity() {
        EventLog log = EventLog.inMemory(5, 10);
        publish(log, 12);

        Backlog all = log.since(0);
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), offsets(all.events()));
        assertEquals(8, all.firstRetained());
        assertEquals(12, all.latest());
        assertFalse(all.complete());
    }

    @Test
    void sinceTellsWhetherTheGapIsComplete() {
        EventLog log = EventLog.inMemory(5, 10);
        publish(log, 12);

        assertTrue(log.since(7).complete(), "7 is just before the first retained offset");
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), offsets(log.since(7).events()));
        assertFalse(log.since(6).complete(), "offset 7 is gone");
        assertEquals(List.of(11L, 12L), offsets(log.since(10).events()));
        assertTrue(log.since(12).complete());
        assertTrue(log.since(12).events().isEmpty());
    }

    @Test
    void emptyLogIsCompleteFromZero() {
        Backlog backlog = EventLog.inMemory(5, 10).since(0);
        assertTrue(backlog.complete());
        assertEquals(1, backlog.firstRetained());
        assertEquals(0, backlog.latest());
    }

    @Test
    void sinceRefusesNegativeAndFutureOffsets() {
        EventLog log = EventLog.inMemory(5, 10);
        publish(log, 3);
        assertThrows(IllegalArgumentException.class, () -> log.since(-1));
        assertThrows(IllegalArgumentException.class, () -> log.since(4));
        assertThrows(IllegalArgumentException.class, () -> log.subscribe(4));
        assertThrows(IllegalArgumentException.class, () -> log.subscribe(-1));
    }

    @Test
    void typeMustBeDottedLowerCaseSoItIsASafeSseEventName() {
        EventLog log = EventLog.inMemory(5, 10);
        for (String bad : new String[]{null, "gap", "overflow", "Run.Queued", "run.queued\ndata: x", "run..queued",
                "run.queued ", "r." + "x".repeat(64)}) {
            assertThrows(IllegalArgumentException.class, () -> log.publish(bad, "s", null), String.valueOf(bad));
        }
        assertThrows(NullPointerException.class, () -> log.publish("run.queued", null, null));
        assertEquals(0, log.head().offset(), "nothing was appended");
        log.publish("build.step-finished", "b-1", null);
        assertEquals(1, log.head().offset());
    }

    @Test
    void publishedDataIsASnapshot() {
        EventLog log = EventLog.inMemory(5, 10);
        ObjectNode data = new ObjectMapper().createObjectNode().put("state", "queued");
        Event event = log.publish("run.queued", "run-1", data);
        data.put("state", "changed later");

        assertEquals("queued", event.data().get("state").asText());
        assertEquals("queued", log.since(0).events().get(0).data().get("state").asText());
    }

    @Test
    void subscriptionDeliversBacklogAfterTheOffsetThenLiveEvents() {
        EventLog log = EventLog.inMemory(10, 10);
        publish(log, 3);

        AssertSubscriber<Event> subscriber = log.subscribe(1).subscribe().withSubscriber(AssertSubscriber.create(100));
        subscriber.awaitItems(2);
        publish(log, 2);
        subscriber.awaitItems(4);

        assertEquals(List.of(2L, 3L, 4L, 5L), offsets(subscriber.getItems()));
        assertEquals(1, log.subscriberCount());
    }

    @Test
    void subscriptionToNewEventsSkipsTheBacklog() {
        EventLog log = EventLog.inMemory(10, 10);
        publish(log, 3);

        AssertSubscriber<Event> subscriber = log.subscribeToNew().subscribe().withSubscriber(AssertSubscriber.create(100));
        publish(log, 2);
        subscriber.awaitItems(2);

        assertEquals(List.of(4L, 5L), offsets(subscriber.getItems()));
    }

    @Test
    void lateSubscriberStartsAtTheOldestRetainedEventSoTheJumpShowsTheGap() {
        EventLog log = EventLog.inMemory(5, 10);
        publish(log, 12);

        AssertSubscriber<Event> subscriber = log.subscribe(2).subscribe().withSubscriber(AssertSubscriber.create(100));
        subscriber.awaitItems(5);

        assertEquals(8, subscriber.getItems().get(0).offset());
    }

    @Test
    void subscriptionHonoursDemand() {
        EventLog log = EventLog.inMemory(10, 10);
        publish(log, 5);

        AssertSubscriber<Event> subscriber = log.subscribe(0).subscribe().withSubscriber(AssertSubscriber.create(2));
        subscriber.awaitItems(2);
        assertEquals(List.of(1L, 2L), offsets(subscriber.getItems()));

        subscriber.request(3);
        subscriber.awaitItems(5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), offsets(subscriber.getItems()));
    }

    @Test
    void cancellingRemovesTheSubscriber() {
        EventLog log = EventLog.inMemory(10, 10);
        AssertSubscriber<Event> subscriber = log.subscribe(0).subscribe().withSubscriber(AssertSubscriber.create(10));
        assertEquals(1, log.subscriberCount());

        subscriber.cancel();

        assertEquals(0, log.subscriberCount());
        publish(log, 3);
        assertTrue(subscriber.getItems().isEmpty());
    }

    @Test
    void slowSubscriberIsCutOffWhileOthersAndThePublisherCarryOn() {
        AtomicInteger dropped = new AtomicInteger();
        EventLog log = new EventLog(new EventLogSettings(1_000, 10), new ObjectMapper(), ForkJoinPool.commonPool(),
                Clock.systemUTC(), new EventLogObserver() {
                    @Override
                    public void subscriberDropped() {
                        dropped.incrementAndGet();
                    }
                });
        AssertSubscriber<Event> stalled = log.subscribe(0).subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<Event> fast = log.subscribe(0).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        AssertSubscriber<Event> partial = log.subscribe(0).subscribe().withSubscriber(AssertSubscriber.create(5));

        // the publisher never waits: every append returns although one subscriber asked for nothing. It publishes in
        // steps no larger than the buffer and lets the fast subscriber catch up, so only the stalled ones overflow
        for (int step = 1; step <= 50; step++) {
            List<Event> published = publish(log, 10);
            assertEquals(step * 10L, published.get(9).offset());
            fast.awaitItems(step * 10);
        }

        stalled.awaitFailure(failure -> {
            SlowSubscriberException slow = assertInstanceOf(SlowSubscriberException.class, failure);
            assertEquals(0, slow.lastDelivered(), "it received nothing, so it resumes from where it subscribed");
        });
        assertTrue(stalled.getItems().isEmpty());

        partial.awaitFailure();
        List<Long> got = offsets(partial.getItems());
        assertTrue(got.size() <= 5);
        assertEquals(LongStream.rangeClosed(1, got.size()).boxed().toList(), got, "no gap before the cut-off");
        assertEquals(got.size(), ((SlowSubscriberException) partial.getFailure()).lastDelivered());

        fast.awaitItems(500);
        assertEquals(LongStream.rangeClosed(1, 500).boxed().toList(), offsets(fast.getItems()));
        assertEquals(2, dropped.get());
        assertEquals(1, log.subscriberCount(), "only the fast subscriber is left");
    }

    @Test
    void heartbeatsGoOnlyToQuietSubscribersThatAskedForThem() {
        EventLog log = EventLog.inMemory(10, 10);
        AssertSubscriber<Delivery> withHeartbeats = log.subscribeWithHeartbeats(-1).subscribe()
                .withSubscriber(AssertSubscriber.create(100));
        AssertSubscriber<Event> plain = log.subscribeToNew().subscribe().withSubscriber(AssertSubscriber.create(100));

        log.pingIdle(Duration.ofHours(1)); // nobody has been quiet that long
        Event first = log.publish("run.queued", "run-1", null);
        withHeartbeats.awaitItems(1);
        assertEquals(List.of(first), withHeartbeats.getItems());

        log.pingIdle(Duration.ZERO);
        withHeartbeats.awaitItems(2);
        Event second = log.publish("run.started", "run-1", null);
        withHeartbeats.awaitItems(3);
        assertEquals(List.of(first, Heartbeat.PING, second), withHeartbeats.getItems());

        // one subscriber's deliveries keep their order, so a heartbeat sent to this one would show up before second
        plain.awaitItems(2);
        assertEquals(List.of(first, second), plain.getItems());
    }

    @Test
    void aStalledSubscriberMissesHeartbeatsAndTheyTakeNoRoomInItsBuffer() {
        EventLog log = EventLog.inMemory(10, 3);
        AssertSubscriber<Delivery> stalled = log.subscribeWithHeartbeats(-1).subscribe()
                .withSubscriber(AssertSubscriber.create(0));
        for (int i = 0; i < 100; i++) {
            log.pingIdle(Duration.ZERO);
        }
        List<Event> events = publish(log, 3); // exactly the buffer

        assertEquals(1, log.subscriberCount(), "heartbeats must not count towards the overflow");
        stalled.request(3);
        stalled.awaitItems(3);
        assertEquals(events, stalled.getItems(), "no heartbeat was kept for later");

        stalled.request(1);
        log.pingIdle(Duration.ZERO);
        stalled.awaitItems(4);
        assertEquals(Heartbeat.PING, stalled.getItems().get(3), "with demand back it gets heartbeats again");
        stalled.assertNotTerminated();
        assertEquals(1, log.subscriberCount());
    }

    @Test
    void negativeRequestEndsTheStreamAsReactiveStreamsRequires() {
        EventLog log = EventLog.inMemory(10, 10);
        AssertSubscriber<Event> subscriber = log.subscribe(0).subscribe().withSubscriber(AssertSubscriber.create(0));
        subscriber.request(-1);
        subscriber.awaitFailure(f -> assertInstanceOf(IllegalArgumentException.class, f));
        assertEquals(0, log.subscriberCount());
    }

    @Test
    void concurrentPublishersAndRacingSubscribersSeeEveryEventOnceInOrder() throws Exception {
        int publishers = 4;
        int perPublisher = 5_000;
        int total = publishers * perPublisher;
        EventLog log = EventLog.inMemory(total + 1, total + 1);
        ExecutorService pool = Executors.newFixedThreadPool(publishers + 1);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int id = p;
                tasks.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perPublisher; i++) {
                        log.publish("run.queued", "publisher-" + id, null);
                    }
                    return null;
                }));
            }
            // subscribers join while the publishers run, each from whatever offset is current at that moment
            List<AssertSubscriber<Event>> fromOffset = new ArrayList<>();
            List<Long> startedAfter = new ArrayList<>();
            List<AssertSubscriber<Event>> fromNow = new ArrayList<>();
            Future<?> subscribing = pool.submit(() -> {
                go.await();
                for (int i = 0; i < 40; i++) {
                    long after = log.head().offset();
                    startedAfter.add(after);
                    fromOffset.add(log.subscribe(after).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
                    fromNow.add(log.subscribeToNew().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
                    Thread.yield();
                }
                return null;
            });
            go.countDown();
            for (Future<?> task : tasks) {
                task.get(60, TimeUnit.SECONDS);
            }
            subscribing.get(60, TimeUnit.SECONDS);
            // a last event every subscriber must see, even one that joined after the publishers finished
            log.publish("run.finished", "last", null);
            total++;

            assertEquals(total, log.head().offset());
            assertEquals(total, offsets(log.since(0).events()).stream().distinct().count());
            for (int i = 0; i < fromOffset.size(); i++) {
                long after = startedAfter.get(i);
                AssertSubscriber<Event> subscriber = fromOffset.get(i);
                // Mutiny's default wait is 10 s: 80 subscribers of 20,000 events take longer on a loaded 2-core machine
                subscriber.awaitItems((int) (total - after), Duration.ofSeconds(60));
                assertEquals(LongStream.rangeClosed(after + 1, total).boxed().toList(), offsets(subscriber.getItems()),
                        "subscriber " + i + " after " + after);
            }
            for (AssertSubscriber<Event> subscriber : fromNow) {
                long last = total;
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    List<Event> items = subscriber.getItems();
                    return !items.isEmpty() && items.get(items.size() - 1).offset() == last;
                });
                List<Long> got = offsets(subscriber.getItems());
                assertEquals(LongStream.rangeClosed(got.get(0), total).boxed().toList(), got);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Event> publish(EventLog log, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(log.publish("run.queued", "run-" + i, new RunQueued("agent", i)));
        }
        return events;
    }

    private static List<Long> offsets(List<Event> events) {
        return events.stream().map(Event::offset).toList();
    }
}
