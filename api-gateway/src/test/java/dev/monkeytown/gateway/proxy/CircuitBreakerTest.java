package dev.monkeytown.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        breaker.onFailure();
        breaker.onFailure();
        assertTrue(breaker.tryAcquire().granted());
        breaker.onFailure();
        CircuitBreaker.Permit refused = breaker.tryAcquire();
        assertFalse(refused.granted());
        assertEquals(Duration.ofSeconds(10), refused.retryAfter());
    }

    @Test
    void aSuccessResetsTheCount() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertTrue(breaker.tryAcquire().granted());
    }

    @Test
    void afterTheDelayOneTrialGoesThroughAndItsSuccessCloses() {
        openIt();
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertEquals(Duration.ofSeconds(6), breaker.tryAcquire().retryAfter());
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertTrue(breaker.tryAcquire().granted()); // the trial
        assertFalse(breaker.tryAcquire().granted()); // others wait for its verdict
        breaker.onSuccess();
        assertTrue(breaker.tryAcquire().granted());
        assertFalse(breaker.isOpen());
    }

    @Test
    void aFailedTrialReopensForAnotherFullDelay() {
        openIt();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertTrue(breaker.tryAcquire().granted());
        breaker.onFailure();
        assertEquals(Duration.ofSeconds(10), breaker.tryAcquire().retryAfter());
    }

    @Test
    void aTrialThatNeverReportsIsReplacedAfterAnotherDelay() {
        openIt();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertTrue(breaker.tryAcquire().granted()); // its caller went away without a verdict
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertTrue(breaker.tryAcquire().granted());
    }

    private void openIt() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
    }
}
