package dev.monkeytown.dispatcher.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void idsAre26CrockfordCharactersAndCarryTheirTime() {
        Instant now = Instant.parse("2026-11-28T01:02:03.456Z");
        String id = new RunIds(Clock.fixed(now, ZoneOffset.UTC), new Random(1)).next();
        assertEquals(26, id.length());
        assertTrue(RunIds.isRunId(id), id);
        assertEquals(now, RunIds.timestampOf(id));
    }

    @Test
    void idsSortByTimeAsStrings() {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            clock.advance(random.nextInt(3)); // often the same millisecond
            ids.add(new RunIds(clock, new Random(i)).next()); // fresh generator: ordering must come from time alone
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(RunIds.timestampOf(ids.get(i - 1)).compareTo(RunIds.timestampOf(ids.get(i))) <= 0);
            if (RunIds.timestampOf(ids.get(i - 1)).isBefore(RunIds.timestampOf(ids.get(i)))) {
                assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " vs " + ids.get(i));
            }
        }
    }

    @Test
    void oneGeneratorIsStrictlyIncreasingWithinAMillisecondAndWhenTheClockStepsBack() {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        RunIds ids = new RunIds(clock, new Random(3));
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
        RunIds ids = new RunIds(Clock.fixed(Instant.ofEpochMilli(1000), ZoneOffset.UTC), allOnes);
        String first = ids.next();
        String second = ids.next();
        assertTrue(first.compareTo(second) < 0, first + " then " + second);
        assertEquals(Instant.ofEpochMilli(1000), RunIds.timestampOf(second));
    }

    @Test
    void recognisesOnlyWellFormedIds() {
        assertFalse(RunIds.isRunId(null));
        assertFalse(RunIds.isRunId("01J"));
        assertFalse(RunIds.isRunId("01ARZ3NDEKTSV4RRFFQ69G5FAU")); // U is not Crockford
        assertFalse(RunIds.isRunId("81ARZ3NDEKTSV4RRFFQ69G5FAV")); // would overflow 128 bits
        assertTrue(RunIds.isRunId("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assertThrows(IllegalArgumentException.class, () -> RunIds.timestampOf("nope"));
    }

    @Test
    void knownUlidDecodesToItsDocumentedTime() {
        // The reference implementation's example: ulid(1469918176385) starts with 01ARYZ6S41.
        assertEquals(Instant.ofEpochMilli(1469918176385L), RunIds.timestampOf("01ARYZ6S41TSV4RRFFQ69G5FAV"));
        String generated = new RunIds(Clock.fixed(Instant.ofEpochMilli(1469918176385L), ZoneOffset.UTC), new Random(5))
                .next();
        assertTrue(generated.startsWith("01ARYZ6S41"), generated);
    }
}
