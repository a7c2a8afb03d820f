package dev.monkeytown.kit.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SortableIdsTest {

    @Test
    void idsAre26CrockfordCharactersAndCarryTheirTime() {
        Instant now = Instant.parse("2026-11-28T01:02:03.456Z");
        String id = new SortableIds(Clock.fixed(now, ZoneOffset.UTC), new Random(1)).next();
        assertEquals(26, id.length());
        assertTrue(SortableIds.isValid(id), id);
        assertEquals(now, SortableIds.timestampOf(id));
    }

    @Test
    void idsSortByTimeAsStrings() {
        HandClock clock = new HandClock(1_700_000_000_000L);
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            clock.advance(random.nextInt(3)); // often the same millisecond
            ids.add(new SortableIds(clock, new Random(i)).next()); // fresh generator: ordering must come from time alone
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(SortableIds.timestampOf(ids.get(i - 1)).compareTo(SortableIds.timestampOf(ids.get(i))) <= 0);
            if (SortableIds.timestampOf(ids.get(i - 1)).isBefore(SortableIds.timestampOf(ids.get(i)))) {
                assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " vs " + ids.get(i));
            }
        }
    }

    @Test
    void oneGeneratorIsStrictlyIncreasingWithinAMillisecondAndWhenTheClockStepsBack() {
        HandClock clock = new HandClock(1_700_000_000_000L);
        SortableIds ids = new SortableIds(clock, new Random(3));
        String previous = ids.next();
        HashSet<String> seen = new HashSet<>(List.of(previous));
        for (int i = 0; i < 5000; i++) {
            if (i % 100 == 0) {
                clock.advance(-5); // NTP step backwards
            } else if (i % 7 == 0) {
                clock.advance(1);
            }
            String id = ids.next();
            assertTrue(previous.compareTo(id) < 0, previous + " then " + id);
            assertTrue(seen.add(id));
            previous = id;
        }
    }

    @Test
    void carryPropagatesAcrossTheLow64Bits() {
        Random allOnes = new Random() {
            @Override
            public long nextLong() {
                return -1L;
            }

            @Override
            public int nextInt(int bound) {
                return 0;
            }
        };
        SortableIds ids = new SortableIds(Clock.fixed(Instant.ofEpochMilli(1000), ZoneOffset.UTC), allOnes);
        String first = ids.next();
        String second = ids.next();
        assertTrue(first.compareTo(second) < 0, first + " then " + second);
        assertEquals(Instant.ofEpochMilli(1000), SortableIds.timestampOf(second));
    }

    @Test
    void recognisesOnlyWellFormedIds() {
        assertFalse(SortableIds.isValid(null));
        assertFalse(SortableIds.isValid("01J"));
        assertFalse(SortableIds.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAU")); // U is not Crockford
        assertFalse(SortableIds.isValid("81ARZ3NDEKTSV4RRFFQ69G5FAV")); // would overflow 128 bits
        assertTrue(SortableIds.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertThrows(IllegalArgumentException.class, () -> SortableIds.timestampOf("nope"));
    }

    @Test
    void knownUlidDecodesToItsDocumentedTime() {
        // The reference implementation's example: ulid(1469918176385) starts with 01ARYZ6S41.
        assertEquals(Instant.ofEpochMilli(1469918176385L), SortableIds.timestampOf("01ARYZ6S41TSV4RRFFQ69G5FAV"));
        String generated = new SortableIds(Clock.fixed(Instant.ofEpochMilli(1469918176385L), ZoneOffset.UTC), new Random(5))
                .next();
        assertTrue(generated.startsWith("01ARYZ6S41"), generated);
    }

    /** A clock moved by hand: forwards, not at all (same-millisecond bursts), or backwards. */
    private static final class HandClock extends Clock {
        private long millis;

        HandClock(long millis) {
            this.millis = millis;
        }

        void advance(long delta) {
            millis += delta;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
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
