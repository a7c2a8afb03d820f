package dev.monkeytown.websocket.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.events.Event;
import dev.monkeytown.websocket.hub.TopicHub;

/** Dead peers are closed; live ones, which answer pings as every browser does, are not. */
@QuarkusTest
@TestProfile(FastHeartbeatProfile.class)
class HeartbeatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    TopicHub hub;

    @Inject
    MeterRegistry registry;

    @Test
    void aPeerThatAnswersNoPingIsClosedWith4001AndItsSocketReleased() throws Exception {
        double closedBefore = unansweredClosed();
        try (StalledClient silent = new StalledClient(ws())) {
            silent.sendText("{\"type\":\"subscribe\",\"topic\":\"alerts\"}");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions("alerts") == 1);

            assertEquals(4001, silent.drainToCloseCode(), "closed for not answering, with a code that says so");
            // the peer does not answer the close either (it is gone): the server still lets the socket go
            assertEquals(-1, silent.drainToCloseCode());
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions("alerts") == 0);
        assertEquals(closedBefore + 1, unansweredClosed());
    }

    @Test
    void aClientThatAnswersPingsStaysOpenThroughManySweeps() throws Exception {
        try (WsTestClient browser = WsTestClient.connect(ws())) {
            browser.send("{\"type\":\"subscribe\",\"topic\":\"artifacts\"}");
            assertEquals("subscribed", browser.next().get("type").asText());

            Thread.sleep(3500); // seventeen pings, more than two pong timeouts, without a frame from the client

            assertTrue(browser.isOpen());
            String epoch = UUID.randomUUID().toString();
            hub.event("artifact-service", new Event(epoch, 1, "artifact.stored", "a-1", Instant.now(),
                    JSON.createObjectNode().put("n", 1)));
            assertEquals("artifact.stored", browser.events(1).get(0).get("event").asText());
        }
    }

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private double subscriptions(String topic) {
        return registry.get("monkeytown.ws.subscriptions").tag("topic", topic).gauge().value();
    }

    private double unansweredClosed() {
        return registry.get("monkeytown.ws.unanswered.closed").counter().count();
    }
}
