package dev.monkeytown.websocket.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.Gap;
import dev.monkeytown.websocket.hub.TopicHub;

/** Real WebSocket clients against /ws; events enter through the upstream port, as the stream consumer will call it. */
@QuarkusTest
@TestProfile(SmallLimitsProfile.class)
class LiveStateSocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    TopicHub hub;

    @Inject
    MeterRegistry registry;

    private URI ws;
    private String epoch;

    @BeforeEach
    void setUp() {
        ws = URI.create(http.toString().replaceFirst("^http", "ws"));
        epoch = UUID.randomUUID().toString(); // a fresh producer epoch per test: every topic starts over
        // as the upstream client announces a restarted producer before its first event, while nobody listens yet
        for (String producer : List.of("agent-dispatcher", "build-service", "deploy-service", "artifact-service")) {
            hub.gap(producer, new Gap(false, epoch, 0, 1, Gap.EPOCH_CHANGED));
        }
    }

    @Test
    void subscriberReceivesEventsInOrder() throws Exception {
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send("{\"type\":\"subscribe\",\"topic\":\"builds\"}");
            JsonNode subscribed = client.next();
            assertEquals("subscribed", subscribed.get("type").asText());
            assertEquals("builds", subscribed.get("topic").asText());
            assertFalse(subscribed.get("recovered").asBoolean());

            publish("build-service", "build.started", 1, 3);

            List<JsonNode> events = client.events(3);
            for (int i = 0; i < 3; i++) {
                JsonNode event = events.get(i);
                assertEquals("builds", event.get("topic").asText());
                assertEquals(epoch, event.get("epoch").asText());
                assertEquals(i + 1, event.get("offset").asLong());
                assertEquals("build.started", event.get("event").asText());
                assertEquals(i + 1, event.get("data").get("n").asLong());
            }
        }
    }

    @Test
    void aBrowserOfferingTheProtocolGetsItAndOneOfferingNoneStillConnects() throws Exception {
        // what a browser sends after the gateway has taken out its token entry
        try (WsTestClient browser = WsTestClient.offering(ws, "monkeytown.v1")) {
            assertEquals("monkeytown.v1", browser.subprotocol());
            browser.send("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
            assertEquals("subscribed", browser.next().get("type").asText());
        }
        try (WsTestClient plain = WsTestClient.connect(ws)) {
            assertEquals("", plain.subprotocol());
            plain.send("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
            assertEquals("subscribed", plain.next().get("type").asText());
        }
    }

    @Test
    void reconnectResumesWithoutGapsOrDuplicates() throws Exception {
        long last;
        publish("agent-dispatcher", "run.queued", 1, 2);
        try (WsTestClient first = WsTestClient.connect(ws)) {
            first.send("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
            assertEquals(2, first.next().get("offset").asLong());
            publish("agent-dispatcher", "run.started", 3, 5);
            last = first.events(3).get(2).get("offset").asLong();
        }
        publish("agent-dispatcher", "run.finished", 6, 10); // while nobody listens

        try (WsTestClient second = WsTestClient.connect(ws)) {
            second.send(subscribe("runs", epoch, last));
            JsonNode subscribed = second.next();
            assertTrue(subscribed.get("recovered").asBoolean());
            assertEquals(5, subscribed.get("offset").asLong());
            publish("agent-dispatcher", "run.queued", 11, 12);

            assertEquals(List.of(6L, 7L, 8L, 9L, 10L, 11L, 12L), offsets(second.events(7)));
            assertTrue(second.frames.isEmpty(), "no duplicates after the live events");
        }
    }

    @Test
    void resumeOnOneTopicSurvivesEventsTheProducerPublishedOnAnother() throws Exception {
        // the dispatcher's one stream carries runs and agents: offsets that went to agents are skips, not losses
        publish("agent-dispatcher", "run.queued", 1, 2);
        long last;
        try (WsTestClient first = WsTestClient.connect(ws)) {
            first.send("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
            assertEquals(2, first.next().get("offset").asLong());
            publish("agent-dispatcher", "agent.updated", 3, 3);
            publish("agent-dispatcher", "run.started", 4, 4);
            last = first.events(1).get(0).get("offset").asLong();
        }
        publish("agent-dispatcher", "agent.updated", 5, 6); // while the client is away
        publish("agent-dispatcher", "run.succeeded", 7, 7);
        publish("agent-dispatcher", "agent.updated", 8, 8);

        try (WsTestClient second = WsTestClient.connect(ws)) {
            second.send(subscribe("runs", epoch, last));
            JsonNode subscribed = second.next();
            assertTrue(subscribed.get("recovered").asBoolean(), subscribed.toString());
            publish("agent-dispatcher", "run.queued", 9, 9);
            assertEquals(List.of(7L, 9L), offsets(second.events(2)), "exactly the missed runs, then live ones");
        }
    }

    @Test
    void resumeFromAnEvictedOffsetOrAnotherEpochIsNotRecovered() throws Exception {
        publish("deploy-service", "deployment.started", 1, 60); // the test buffer keeps 50: 11..60
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send(subscribe("deployments", epoch, 9));
            JsonNode evicted = client.next();
            assertFalse(evicted.get("recovered").asBoolean());
            assertEquals(60, evicted.get("offset").asLong());

            client.send(subscribe("deployments", "some-old-epoch", 59));
            assertFalse(client.next().get("recovered").asBoolean());

            client.send(subscribe("deployments", epoch, 10));
            JsonNode held = client.next();
            assertTrue(held.get("recovered").asBoolean());
            assertEquals(50, client.events(50).size());
        }
    }

    @Test
    void producerRestartTellsLiveSubscribersToRefetch() throws Exception {
        publish("agent-dispatcher", "agent.updated", 1, 2);
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send("{\"type\":\"subscribe\",\"topic\":\"agents\"}");
            client.next();
            String restarted = UUID.randomUUID().toString();
            hub.gap("agent-dispatcher", new Gap(false, restarted, 2, 1, Gap.EPOCH_CHANGED));

            JsonNode notice = client.next();
            assertEquals("subscribed", notice.get("type").asText());
            assertFalse(notice.get("recovered").asBoolean());
            assertEquals(restarted, notice.get("epoch").asText());
            assertEquals(0, notice.get("offset").asLong());
        }
    }

    @Test
    void stalledClientIsClosedWhileAFastOneGetsEveryEvent() throws Exception {
        double laggingBefore = registry.get("monkeytown.ws.lagging.closed").counter().count();
        String big = "x".repeat(32 * 1024);
        try (WsTestClient fast = WsTestClient.connect(ws); StalledClient stalled = new StalledClient(ws)) {
            fast.send("{\"type\":\"subscribe\",\"topic\":\"artifacts\"}");
            stalled.sendText("{\"type\":\"subscribe\",\"topic\":\"artifacts\"}");
            fast.next();
            long offset = 0;
            List<Long> received = new ArrayList<>();
            while (registry.get("monkeytown.ws.lagging.closed").counter().count() == laggingBefore) {
                if (offset >= 3000) {
                    throw new AssertionError("the stalled client was never closed");
                }
                for (int i = 0; i < 10; i++) {
                    offset++;
                    hub.event("artifact-service", new Event(epoch, offset, "artifact.stored", "a" + offset,
                            Instant.now(), JSON.createObjectNode().put("blob", big)));
                }
                received.addAll(offsets(fast.events(10)));
            }

            assertEquals(laggingBefore + 1, registry.get("monkeytown.ws.lagging.closed").counter().count());
            assertEquals(offset, received.size());
            assertEquals(1L, received.get(0));
            assertEquals(offset, received.get(received.size() - 1));
            assertTrue(fast.isOpen());
            assertEquals(4000, stalled.drainToCloseCode());
        }
    }

    @Test
    void stalledClientThatKeepsAskingForReplaysIsClosed() throws Exception {
        double laggingBefore = registry.get("monkeytown.ws.lagging.closed").counter().count();
        String big = "y".repeat(32 * 1024);
        for (long offset = 1; offset <= 50; offset++) {
            hub.event("build-service", new Event(epoch, offset, "alert.raised", "a" + offset, Instant.now(),
                    JSON.createObjectNode().put("blob", big)));
        }
        try (StalledClient stalled = new StalledClient(ws)) {
            for (int i = 0; i < 25; i++) {
                stalled.sendText("{\"type\":\"subscribe\",\"topic\":\"alerts\",\"epoch\":\"" + epoch
                        + "\",\"offset\":0}");
            }
            assertEquals(4000, stalled.drainToCloseCode());
        }
        assertEquals(laggingBefore + 1, registry.get("monkeytown.ws.lagging.closed").counter().count());
    }

    @Test
    void badFramesAnswerWithErrorsAndTheConnectionStays() throws Exception {
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send("{not json");
            assertError(client.next(), "malformed-json");
            client.send("{\"type\":\"shout\",\"topic\":\"runs\"}");
            assertError(client.next(), "unknown-type");
            client.send("{\"type\":\"subscribe\",\"topic\":\"weather\"}");
            assertError(client.next(), "unknown-topic");
            client.send("{\"type\":\"subscribe\",\"topic\":\"runs\",\"offset\":3}");
            assertError(client.next(), "bad-position");

            client.send("{\"type\":\"subscribe\",\"topic\":\"alerts\"}");
            assertEquals("subscribed", client.next().get("type").asText());
            client.send("{\"type\":\"unsubscribe\",\"topic\":\"alerts\"}");
            assertEquals("unsubscribed", client.next().get("type").asText());
            assertTrue(client.isOpen());
        }
    }

    @Test
    void oversizeFrameClosesWith1009() throws Exception {
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send("{\"type\":\"subscribe\",\"topic\":\"runs\",\"pad\":\"" + "p".repeat(5000) + "\"}");
            assertEquals(1009, client.awaitClose());
        }
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send("p".repeat(70_000)); // beyond the WebSocket layer's own limit
            assertEquals(1009, client.awaitClose());
        }
    }

    @Test
    void floodClosesWith1008() throws Exception {
        try (WsTestClient client = WsTestClient.connect(ws)) {
            for (int i = 0; i < 200 && !client.closeCode.isDone(); i++) {
                client.send("{\"type\":\"unsubscribe\",\"topic\":\"runs\"}");
            }
            assertEquals(1008, client.awaitClose());
        }
    }

    @Test
    void openConnectionsAreCounted() throws Exception {
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
            client.next();
            assertTrue(registry.get("monkeytown.ws.connections").gauge().value() >= 1);
            assertTrue(registry.get("monkeytown.ws.subscriptions").tag("topic", "runs").gauge().value() >= 1);
        }
    }

    private void publish(String producer, String type, long from, long to) {
        for (long offset = from; offset <= to; offset++) {
            hub.event(producer, new Event(epoch, offset, type, "s" + offset, Instant.now(),
                    JSON.createObjectNode().put("n", offset)));
        }
    }

    private static String subscribe(String topic, String epoch, long offset) {
        return "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"epoch\":\"" + epoch + "\",\"offset\":" + offset
                + "}";
    }

    private static List<Long> offsets(List<JsonNode> events) {
        return events.stream().map(e -> e.get("offset").asLong()).toList();
    }

    private static void assertError(JsonNode frame, String code) {
        assertEquals("error", frame.get("type").asText(), frame.toString());
        assertEquals(code, frame.get("code").asText(), frame.toString());
    }
}
