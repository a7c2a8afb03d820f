package dev.monkeytown.events.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(100, 10_000);
        long[] ceilings = {100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000};
        for (long ceiling : ceilings) {
            long delay = backoff.nextDelayMillis();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " not in [" + ceiling / 2 + ", " + ceiling + "]");
        }
        for (int i = 0; i < 100; i++) {
            assertTrue(backoff.nextDelayMillis() <= 10_000, "never past the cap, however many failures");
        }
    }

    @Test
    void resetStartsOverAndSlowUsesTheCap() {
        Backoff backoff = new Backoff(100, 10_000);
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMillis();
        }
        backoff.reset();
        assertTrue(backoff.nextDelayMillis() <= 100);
        assertTrue(backoff.slowDelayMillis() >= 5_000);
        assertEquals(10_000, backoff.ceilingMillis(1_000));
    }
}
