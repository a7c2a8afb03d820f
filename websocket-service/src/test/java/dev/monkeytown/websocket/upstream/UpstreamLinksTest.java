package dev.monkeytown.websocket.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class UpstreamLinksTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Instant now = Instant.parse("2026-11-28T08:00:00Z");
    private final UpstreamLinks links = new UpstreamLinks(registry, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void aStreamIsDownUntilItOpensAndTheGaugeFollows() {
        links.follow("build-service");
        assertFalse(links.links().get("build-service").open());
        assertEquals(0, connected("build-service"));

        links.opened("build-service", "e1");
        assertTrue(links.links().get("build-service").open());
        assertEquals("epoch e1", links.links().get("build-service").detail());
        assertEquals(1, connected("build-service"));
    }

    @Test
    void downSinceIsWhenItWentDownNotTheLatestRetry() {
        links.follow("deploy-service");
        links.opened("deploy-service", "e1");
        now = now.plusSeconds(60);
        links.closed("deploy-service", "reconnecting after: ", new IllegalStateException("producer ended the stream"));
        Instant wentDown = now;
        now = now.plusSeconds(30);
        links.closed("deploy-service", "unavailable: ", new ConnectException("Connection refused"));

        UpstreamLinks.Link link = links.links().get("deploy-service");
        assertFalse(link.open());
        assertEquals(wentDown, link.since());
        assertEquals("unavailable: Connection refused", link.detail());
        assertEquals(0, connected("deploy-service"));
    }

    private double connected(String producer) {
        return registry.get("monkeytown.ws.upstream.connected").tag("producer", producer).gauge().value();
    }
}
