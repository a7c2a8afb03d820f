package dev.monkeytown.events.client;

import static dev.monkeytown.events.client.RecordingListener.range;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.events.Gap;
import dev.monkeytown.events.client.RecordingListener.Connected;
import dev.monkeytown.events.client.RecordingListener.Disconnected;
import dev.monkeytown.events.client.RecordingListener.GapSeen;
import dev.monkeytown.events.client.RecordingListener.Received;

/** The client against a real HTTP producer over a real EventLog, with connections cut and the producer restarted. */
class EventStreamClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EventStreamSettings FAST = EventStreamSettings.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private Vertx vertx;
    private TestProducer producer;
    private RecordingListener listener;
    private EventStreamClient client;

    @BeforeEach
    void startProducer() {
        vertx = Vertx.vertx();
        producer = new TestProducer(vertx, EventLog.inMemory(50, 1000));
        listener = new RecordingListener();
    }

    @AfterEach
    void stopAll() {
        if (client != null) {
            client.close();
        }
        producer.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void eventsArriveInOrderOnOneEventLoopThread() {
        connect(FAST, TestProducer.TOKEN);
        EventLog log = producer.log();
        publish(log, 40);

        await().atMost(WAIT).until(() -> listener.offsets().size() == 40);
        assertEquals(range(1, 40), listener.offsets());
        Event first = listener.events().get(0);
        assertEquals(log.epoch(), first.epoch());
        assertEquals("run.queued", first.type());
        assertEquals("run-0", first.subject());
        assertEquals(0, first.data().get("n").asInt());
        assertEquals(new Connected(log.epoch()), listener.calls.get(0));
        assertEquals(1, listener.threads.stream().distinct().count(), "one thread: " + listener.threads);
        assertTrue(listener.threads.get(0).startsWith("vert.x-eventloop"), listener.threads.get(0));
        assertEquals(new StreamPosition(log.epoch(), 40), client.position());
        assertTrue(client.isConnected());
    }

    @Test
    void framesSplitAcrossBuffersAreReassembled() {
        producer.splitWrites();
        connect(FAST, TestProducer.TOKEN);
        producer.log().publish("run.queued", "r", Map.of("note", "ünïcödé ☃ split anywhere"));
        publish(producer.log(), 9);

        await().atMost(WAIT).until(() -> listener.offsets().size() == 10);
        assertEquals(range(1, 10), listener.offsets());
        assertEquals("ünïcödé ☃ split anywhere", listener.events().get(0).data().get("note").asText());
    }

    @Test
    void afterTheConnectionDropsOnlyTheMissedEventsArriveOnce() {
        connect(FAST, TestProducer.TOKEN);
        EventLog log = producer.log();
        publish(log, 10);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 10);

        // a producer that is down for a while: events published meanwhile must come after the reconnect
        producer.stop();
        await().atMost(WAIT).until(() -> listener.count(Disconnected.class) == 1);
        publish(log, 5);
        producer.restart(log);
        // and a cut while events are being published
        await().atMost(WAIT).until(() -> producer.openStreams() == 1);
        publish(log, 5);
        producer.dropConnections();
        publish(log, 5);

        await().atMost(WAIT).until(() -> listener.offsets().size() >= 25);
        assertEquals(range(1, 25), listener.offsets(), "each event once, in order");
        assertEquals(List.of(), listener.gaps());
        assertTrue(listener.count(Connected.class) >= 2);
        assertEquals(listener.count(Connected.class), listener.count(Disconnected.class) + (client.isConnected() ? 1 : 0));
    }

    @Test
    void aProducerRestartIsAGapThenTheNewEpochsEvents() {
        connect(FAST, TestProducer.TOKEN);
        EventLog before = producer.log();
        publish(before, 3);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 3);

        producer.stop();
        EventLog after = EventLog.inMemory(50, 1000);
        publish(after, 2);
        producer.restart(after);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 5);
        publish(after, 1);

        await().atMost(WAIT).until(() -> listener.offsets().size() == 6);
        List<Gap> gaps = listener.gaps();
        assertEquals(1, gaps.size(), "one gap: " + gaps);
        assertEquals(new Gap(false, after.epoch(), 3, 1, Gap.EPOCH_CHANGED), gaps.get(0));
        List<Event> events = listener.events();
        assertEquals(List.of(before.epoch(), before.epoch(), before.epoch(), after.epoch(), after.epoch(), after.epoch()),
                events.stream().map(Event::epoch).toList());
        assertEquals(List.of(1L, 2L, 3L, 1L, 2L, 3L), listener.offsets());
        int gapAt = listener.calls.indexOf(new GapSeen(gaps.get(0)));
        int firstNew = listener.calls.indexOf(new Received(events.get(3)));
        assertTrue(gapAt < firstNew, "the gap comes before the new epoch's events");
    }

    @Test
    void anOverflowReconnectsAtOnceAndResumes() {
        connect(FAST, TestProducer.TOKEN);
        EventLog log = producer.log();
        publish(log, 5);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 5);
        int streamsBefore = producer.streamRequests.get();

        producer.overflowAll();
        publish(log, 5);

        await().atMost(WAIT).until(() -> listener.offsets().size() >= 10);
        assertEquals(range(1, 10), listener.offsets());
        assertEquals(List.of(), listener.gaps());
        assertTrue(producer.streamRequests.get() > streamsBefore, "reconnected");
        Disconnected disconnected = (Disconnected) listener.calls.stream()
                .filter(Disconnected.class::isInstance).findFirst().orElseThrow();
        assertInstanceOf(StreamInterruptedException.class, disconnected.cause());
    }

    @Test
    void startingFromAPositionDeliversWhatFollowsIt() {
        EventLog log = producer.log();
        publish(log, 10);
        client = new EventStreamClient(vertx, producer.baseUrl(), TestProducer.TOKEN, listener, FAST,
                new ObjectMapper().findAndRegisterModules());
        client.start(new StreamPosition(log.epoch(), 6));

        await().atMost(WAIT).until(() -> listener.offsets().size() == 4);
        assertEquals(range(7, 10), listener.offsets());
        assertEquals(List.of(), listener.gaps());
    }

    @Test
    void aPositionOlderThanTheLogIsAGapThenTheOldestRetained() {
        EventLog log = producer.log();
        publish(log, 60); // the log keeps 50
        client = new EventStreamClient(vertx, producer.baseUrl(), TestProducer.TOKEN, listener, FAST,
                new ObjectMapper().findAndRegisterModules());
        client.start(new StreamPosition(log.epoch(), 2));

        await().atMost(WAIT).until(() -> listener.offsets().size() == 50);
        assertEquals(List.of(new Gap(false, log.epoch(), 2, 11, Gap.EVICTED)), listener.gaps());
        assertEquals(range(11, 60), listener.offsets());
    }

    @Test
    void aWrongTokenKeepsRetryingAndDeliversNothing() {
        connect(FAST, "wrong-token");
        producer.log().publish("run.queued", "r", null);

        await().atMost(WAIT).until(() -> listener.count(RecordingListener.Unavailable.class) >= 3);
        assertEquals(listener.calls.size(), listener.count(RecordingListener.Unavailable.class),
                "no connection, no event: only failed attempts, each reported");
        assertTrue(((RecordingListener.Unavailable) listener.calls.get(0)).cause().getMessage().contains("401"),
                listener.calls.get(0).toString());
        assertFalse(client.isConnected());
    }

    @Test
    void aSilentStreamIsReopenedAfterTheIdleTimeout() {
        connect(FAST.withIdleTimeout(Duration.ofMillis(300)), TestProducer.TOKEN);
        await().atMost(WAIT).until(() -> producer.streamRequests.get() >= 3);
        publish(producer.log(), 3);

        await().atMost(WAIT).until(() -> listener.offsets().size() == 3);
        assertEquals(range(1, 3), listener.offsets());
        Disconnected disconnected = (Disconnected) listener.calls.stream()
                .filter(Disconnected.class::isInstance).findFirst().orElseThrow();
        assertTrue(disconnected.cause().getMessage().startsWith("no bytes for"), disconnected.cause().getMessage());
    }

    @Test
    void heartbeatsKeepAQuietStreamOpenPastTheIdleTimeout() {
        producer.sendHeartbeats(Duration.ofMillis(100));
        connect(FAST.withIdleTimeout(Duration.ofMillis(400)), TestProducer.TOKEN);

        // five idle timeouts with nothing but heartbeats: the first stream must stay the only one
        await().during(Duration.ofSeconds(2)).atMost(WAIT)
                .until(() -> producer.streamRequests.get() == 1 && client.isConnected());
        assertEquals(0, listener.count(Disconnected.class), "reopened although heartbeats arrived: " + listener.calls);
        assertEquals(List.of(), listener.events(), "a heartbeat is not an event");

        publish(producer.log(), 2);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 2);
        assertEquals(range(1, 2), listener.offsets());
        assertEquals(1, producer.streamRequests.get());
    }

    @Test
    void aStreamThatStopsSendingHeartbeatsIsReopenedAndResumesByOffset() {
        producer.sendHeartbeats(Duration.ofMillis(100));
        connect(FAST.withIdleTimeout(Duration.ofMillis(400)), TestProducer.TOKEN);
        publish(producer.log(), 3);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 3);

        // the connection stays open but no byte comes any more, as when the producer's pod vanished without a FIN
        producer.stopHeartbeats();
        await().atMost(WAIT).until(() -> producer.streamRequests.get() >= 2);
        Disconnected disconnected = (Disconnected) listener.calls.stream()
                .filter(Disconnected.class::isInstance).findFirst().orElseThrow();
        assertTrue(disconnected.cause().getMessage().startsWith("no bytes for"), disconnected.cause().getMessage());
        assertEquals("3", producer.streamAfters.get(1), "the reopened stream resumes after the last event");

        producer.sendHeartbeats(Duration.ofMillis(100));
        await().atMost(WAIT).until(() -> client.isConnected());
        publish(producer.log(), 2);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 5);
        assertEquals(range(1, 5), listener.offsets());
    }

    @Test
    void closeStopsForGood() {
        connect(FAST, TestProducer.TOKEN);
        publish(producer.log(), 1);
        await().atMost(WAIT).until(() -> listener.offsets().size() == 1);

        client.close();
        await().atMost(WAIT).until(() -> producer.openStreams() == 0);
        int requests = producer.requests.get();
        publish(producer.log(), 3);
        producer.dropConnections();

        // nothing to wait for but the absence of a reconnect: give it many back-off periods
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> producer.requests.get() == requests);
        assertEquals(List.of(1L), listener.offsets());
        assertFalse(client.isConnected());
    }

    @Test
    void refusesToBeBuiltOnAWorkerContext() {
        Throwable failure = vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                new EventStreamClient(vertx, producer.baseUrl(), TestProducer.TOKEN, listener);
            }
        }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .toCompletionStage().toCompletableFuture().handle((ok, e) -> e).join();
        assertInstanceOf(IllegalStateException.class, failure.getCause() == null ? failure : failure.getCause());
    }

    private void connect(EventStreamSettings settings, String token) {
        client = new EventStreamClient(vertx, producer.baseUrl(), token, listener, settings,
                new ObjectMapper().findAndRegisterModules());
        client.start();
        if (TestProducer.TOKEN.equals(token)) {
            await().atMost(WAIT).until(() -> producer.openStreams() == 1 && client.isConnected());
        }
    }

    private static void publish(EventLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.publish("run.queued", "run-" + i, Map.of("n", i));
        }
    }
}
