package dev.monkeytown.websocket.connection;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.events.EventLog;
import dev.monkeytown.kit.testing.Management;

/**
 * Events from a real producer stream reach a real WebSocket client: the producer here is this very application's own
 * {@code /internal/events} (the same resource every producing service serves), consumed over HTTP by the upstream
 * client exactly as it consumes agent-dispatcher's.
 */
@QuarkusTest
@TestProfile(ProducerStreamTest.SelfProducer.class)
class ProducerStreamTest {

    static final int PORT = 18481;

    public static class SelfProducer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", String.valueOf(PORT),
                    "monkeytown.ws.upstream.enabled", "true",
                    "monkeytown.ws.upstream.producers.agent-dispatcher.url", "http://localhost:" + PORT,
                    // the other producers are absent: refused at once, retried with back-off, their topics stay empty
                    "monkeytown.ws.upstream.producers.build-service.url", "http://localhost:1",
                    "monkeytown.ws.upstream.producers.deploy-service.url", "http://localhost:1",
                    "monkeytown.ws.upstream.producers.artifact-service.url", "http://localhost:1");
        }
    }

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    EventLog producerLog;

    @Test
    void eventsPublishedByAProducerReachSubscribedBrowsers() throws Exception {
        URI ws = URI.create(http.toString().replaceFirst("^http", "ws"));
        try (WsTestClient client = WsTestClient.connect(ws)) {
            client.send("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
            assertEquals("subscribed", client.next().get("type").asText());

            // the upstream client may still be connecting: publish until the first event shows up, then a known tail
            JsonNode first = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> {
                        producerLog.publish("run.queued", "probe", Map.of("probe", true));
                        return client.frames.poll();
                    }, frame -> frame != null && "event".equals(frame.get("type").asText()));
            assertEquals(producerLog.epoch(), first.get("epoch").asText());
            client.frames.clear();

            long before = producerLog.head().offset();
            producerLog.publish("run.started", "01JAAAAAAAAAAAAAAAAAAAAAAA", Map.of("state", "running"));
            producerLog.publish("run.succeeded", "01JAAAAAAAAAAAAAAAAAAAAAAA", Map.of("state", "succeeded"));

            List<JsonNode> tail = new java.util.ArrayList<>();
            while (tail.size() < 2) {
                JsonNode frame = client.next(); // probes still in flight come first; skip everything up to ours
                if ("event".equals(frame.get("type").asText()) && frame.get("offset").asLong() > before) {
                    tail.add(frame);
                }
            }
            assertEquals(List.of("run.started", "run.succeeded"), tail.stream().map(e -> e.get("event").asText())
                    .toList());
            assertEquals(before + 1, tail.get(0).get("offset").asLong());
            assertEquals(before + 2, tail.get(1).get("offset").asLong(), "in order, none lost, none twice");
            assertEquals("succeeded", tail.get(1).at("/data/state").asText());
            assertEquals("runs", tail.get(0).get("topic").asText());
        }
    }

    @Test
    void readinessShowsWhichProducerStreamsAreOpenAndStaysUp() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> Management
                .given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'upstream' }.status", is("UP"))
                .body("checks.find { it.name == 'upstream' }.data.status", is("degraded"))
                .body("checks.find { it.name == 'upstream' }.data.agent-dispatcher", startsWith("open, epoch "))
                .body("checks.find { it.name == 'upstream' }.data.build-service", startsWith("down, unavailable: ")));
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("monkeytown_ws_upstream_connected{producer=\"agent-dispatcher\""),
                        containsString("monkeytown_ws_upstream_connected{producer=\"deploy-service\""));
    }
}
