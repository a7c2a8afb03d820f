package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The secondary-limit rules on their own, on a made-up timeline. */
class SecondaryLimiterTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final SecondaryLimiter limiter = new SecondaryLimiter();

    @Test
    void slidingMinuteWindowSaysWhenASlotFrees() {
        limiter.limits(SecondaryLimits.none().withPerMinute(3, Duration.ofSeconds(10)));
        assertTrue(limiter.admitWrite("a", T0).isEmpty());
        assertTrue(limiter.admitWrite("a", T0.plusSeconds(1)).isEmpty());
        assertTrue(limiter.admitWrite("a", T0.plusSeconds(2)).isEmpty());
        assertEquals(Optional.of(Duration.ofSeconds(7)), limiter.admitWrite("a", T0.plusSeconds(3)));
        assertTrue(limiter.admitWrite("b", T0.plusSeconds(3)).isEmpty(), "another token has its own counters");
        assertTrue(limiter.admitWrite("a", T0.plusSeconds(10)).isEmpty(), "the first write left the window");
        assertEquals(Optional.of(Duration.ofSeconds(1)), limiter.admitWrite("a", T0.plusSeconds(10)),
                "the refusal before did not count");
    }

    @Test
    void hourWindowHoldsWhenTheMinuteWouldAllow() {
        limiter.limits(SecondaryLimits.github().withPerHour(2, Duration.ofHours(1)));
        limiter.admitWrite("a", T0);
        limiter.admitWrite("a", T0.plus(Duration.ofMinutes(5)));
        assertEquals(Optional.of(Duration.ofMinutes(50)), limiter.admitWrite("a", T0.plus(Duration.ofMinutes(10))));
    }

    @Test
    void concurrencyCountsEveryRequestUntilItLeaves() {
        limiter.limits(SecondaryLimits.none().withConcurrentRequests(2));
        assertTrue(limiter.enter("a").isEmpty());
        assertTrue(limiter.enter("a").isEmpty());
        assertTrue(limiter.enter("a").isPresent());
        assertTrue(limiter.enter("b").isEmpty());
        limiter.leave("a");
        limiter.leave("a");
        assertTrue(limiter.enter("a").isEmpty(), "two left, one is in flight, one more fits");
    }

    @Test
    void gitHubsLimitsAreEightyAMinuteFiveHundredAnHourAHundredInFlight() {
        limiter.limits(SecondaryLimits.github());
        for (int i = 0; i < 80; i++) {
            assertTrue(limiter.admitWrite("a", T0.plusMillis(i)).isEmpty());
        }
        assertTrue(limiter.admitWrite("a", T0.plusSeconds(1)).isPresent());
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.enter("a").isEmpty());
        }
        assertTrue(limiter.enter("a").isPresent());
    }
}
