package dev.monkeytown.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class SeenDeliveriesTest {

    private final MovableClock clock = new MovableClock();

    @Test
    void aDeliveryIsNewOnceAndADuplicateAfterwards() {
        SeenDeliveries seen = new SeenDeliveries(10, Duration.ofHours(24), clock);
        assertTrue(seen.firstTime("a"));
        assertFalse(seen.firstTime("a"));
        assertTrue(seen.firstTime("b"));
    }

    @Test
    void idsAreForgottenAfterTheirTimeToLive() {
        SeenDeliveries seen = new SeenDeliveries(10, Duration.ofHours(24), clock);
        seen.firstTime("a");
        clock.advance(Duration.ofHours(23));
        seen.firstTime("b");
        assertFalse(seen.firstTime("a"));

        clock.advance(Duration.ofHours(1));
        assertTrue(seen.firstTime("a"), "24 h after it was seen, a is new again");
        assertFalse(seen.firstTime("b"));
    }

    @Test
    void theOldestIdsMakeRoomWhenFull() {
        SeenDeliveries seen = new SeenDeliveries(3, Duration.ofHours(24), clock);
        for (String id : new String[]{"a", "b", "c", "d"}) {
            seen.firstTime(id);
        }
        assertEquals(3, seen.size());
        assertTrue(seen.firstTime("a"), "the oldest was pushed out");
        assertFalse(seen.firstTime("d"));
    }

    @Test
    void aFloodOfIdsNeverGrowsPastTheCapacity() {
        SeenDeliveries seen = new SeenDeliveries(1_000, Duration.ofHours(24), clock);
        for (int i = 0; i < 50_000; i++) {
            seen.firstTime("delivery-" + i);
        }
        assertEquals(1_000, seen.size());
    }

    @Test
    void aForgottenDeliveryIsNewAgain() {
        SeenDeliveries seen = new SeenDeliveries(10, Duration.ofHours(24), clock);
        seen.firstTime("a");
        seen.forget("a");
        assertTrue(seen.firstTime("a"));
    }

    private static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
