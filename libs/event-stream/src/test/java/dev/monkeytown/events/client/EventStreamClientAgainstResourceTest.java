package dev.monkeytown.events.client;

import static dev.monkeytown.events.client.RecordingListener.range;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.events.Gap;
import dev.monkeytown.events.client.RecordingListener.Connected;
import dev.monkeytown.events.client.RecordingListener.Disconnected;

/** The client against the real EventStreamResource, so the test producer's wire format cannot drift from it. */
@QuarkusTest
class EventStreamClientAgainstResourceTest {

    private static final String TOKEN = "test-only-internal-token-not-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EventStreamSettings FAST = EventStreamSettings.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

    @Inject
    EventLog log;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/")
    URI base;

    @Test
    void followsTheResourceFromNowOnAndResumesFromAPosition() {
        RecordingListener listener = new RecordingListener();
        try (EventStreamClient client = new EventStreamClient(vertx, base.toString(), TOKEN, listener, FAST, json)) {
            client.start();
            await().atMost(WAIT).until(client::isConnected);
            long head = log.head().offset();
            for (int i = 0; i < 5; i++) {
                log.publish("run.queued", "run-" + i, Map.of("n", i));
            }
            await().atMost(WAIT).until(() -> listener.offsets().size() == 5);
            assertEquals(range(head + 1, head + 5), listener.offsets());
            Event first = listener.events().get(0);
            assertEquals(log.epoch(), first.epoch());
            assertEquals("run-0", first.subject());
            assertEquals(0, first.data().get("n").asInt());
            assertTrue(first.time() != null);
        }

        RecordingListener resumed = new RecordingListener();
        long from = log.head().offset() - 2;
        try (EventStreamClient client = new EventStreamClient(vertx, base.toString(), TOKEN, resumed, FAST, json)) {
            client.start(new StreamPosition(log.epoch(), from));
            await().atMost(WAIT).until(() -> resumed.offsets().size() == 2);
            assertEquals(range(from + 1, from + 2), resumed.offsets());
        }
    }

    @Test
    void anotherEpochGetsTheResourcesGapThenEverythingRetained() {
        log.publish("run.queued", "epoch-test", null);
        long first = log.since(log.head().offset()).firstRetained();
        long latest = log.head().offset();
        RecordingListener listener = new RecordingListener();
        try (EventStreamClient client = new EventStreamClient(vertx, base.toString(), TOKEN, listener, FAST, json)) {
            client.start(new StreamPosition("0000000000000000", 999_999));
            await().atMost(WAIT).until(() -> listener.offsets().size() >= latest - first + 1);
            assertEquals(List.of(new Gap(false, log.epoch(), 999_999, first, Gap.EPOCH_CHANGED)), listener.gaps());
            assertEquals(range(first, latest), listener.offsets().subList(0, (int) (latest - first + 1)));
        }
    }

    @Test
    void theResourcesHeartbeatsKeepAQuietStreamOpen() {
        RecordingListener listener = new RecordingListener();
        // the test profile pings after 200 ms of quiet, so three missed heartbeats fit in this idle timeout
        EventStreamSettings settings = FAST.withIdleTimeout(Duration.ofMillis(800));
        try (EventStreamClient client = new EventStreamClient(vertx, base.toString(), TOKEN, listener, settings, json)) {
            client.start();
            await().atMost(WAIT).until(client::isConnected);
            await().during(Duration.ofSeconds(3)).atMost(WAIT).until(client::isConnected);
            assertEquals(List.of(), listener.gaps());
            assertEquals(0, listener.count(Disconnected.class), "reopened a stream that had heartbeats: " + listener.calls);
            assertEquals(1, listener.count(Connected.class));
        }
    }

    @Test
    void aWrongTokenNeverConnects() {
        RecordingListener listener = new RecordingListener();
        try (EventStreamClient client = new EventStreamClient(vertx, base.toString(), "wrong", listener, FAST, json)) {
            client.start();
            log.publish("run.queued", "unseen", null);
            // never connected, never an event: every call is a refused attempt
            await().during(Duration.ofMillis(500)).atMost(WAIT)
                    .until(() -> listener.calls.size() == listener.count(RecordingListener.Unavailable.class));
            assertFalse(client.isConnected());
        }
    }
}
