package dev.monkeytown.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The bucket math, with the spec's quotas and a clock turned by hand. */
class RateLimiterTest {

    private final ManualRateLimitClock clock = new ManualRateLimitClock();

    private RateLimiter limiter(int global, int perIp, int perUser, int maxTracked) {
        return new RateLimiter(new Quota("global", global), new Quota("ip", perIp), new Quota("user", perUser),
                maxTracked, clock);
    }

    private RateLimiter spec() {
        return limiter(1000, 100, 500, 100_000);
    }

    @Test
    void anAddressGetsItsQuotaThenIsRefusedUntilATokenIsBack() {
        RateLimiter limiter = spec();
        for (int i = 1; i <= 100; i++) {
            RateDecision decision = limiter.acquireForAddress("203.0.113.1");
            assertTrue(decision.allowed(), "request " + i);
            assertEquals(100 - i, decision.remaining());
        }
        RateDecision refused = limiter.acquireForAddress("203.0.113.1");
        assertFalse(refused.allowed());
        assertEquals("ip", refused.reported().name());
        assertEquals(0, refused.remaining());
        assertEquals(1, refused.retryAfterSeconds(), "100 a minute: one token every 0.6 s");
        assertEquals(60, refused.secondsUntilFull());

        clock.advance(Duration.ofMillis(599));
        assertFalse(limiter.acquireForAddress("203.0.113.1").allowed(), "not a whole token yet");
        clock.advance(Duration.ofMillis(1));
        assertTrue(limiter.acquireForAddress("203.0.113.1").allowed(), "refill is continuous: 0.6 s gives one");
        assertFalse(limiter.acquireForAddress("203.0.113.1").allowed());

        clock.advance(Duration.ofMinutes(1));
        RateDecision full = limiter.acquireForAddress("203.0.113.1");
        assertEquals(99, full.remaining(), "a minute refills the whole bucket, never more than its capacity");
    }

    @Test
    void aTokenGivenBackToAnAddressIsTheAddresssAgain() {
        RateLimiter limiter = limiter(100_000, 100, 500, 100_000);
        for (int i = 1; i <= 250; i++) {
            assertTrue(limiter.acquireForAddress("192.0.2.7").allowed(), "verified delivery " + i);
            limiter.giveBackToAddress("192.0.2.7");
        }
        RateDecision next = limiter.acquireForAddress("192.0.2.7");
        assertEquals("ip", next.reported().name());
        assertEquals(99, next.remaining(), "the address never ran low");
    }

    @Test
    void whatWasGivenBackToAnAddressStillCountsAgainstTheGlobalBucket() {
        RateLimiter limiter = limiter(300, 100, 500, 100_000);
        for (int i = 1; i <= 300; i++) {
            assertTrue(limiter.acquireForAddress("192.0.2.7").allowed(), "verified delivery " + i);
            limiter.giveBackToAddress("192.0.2.7");
        }
        RateDecision refused = limiter.acquireForAddress("192.0.2.9");
        assertFalse(refused.allowed(), "what was served counts against the instance's global cap");
        assertEquals("global", refused.reported().name());
    }

    @Test
    void givingBackNeverFillsABucketPastItsCapacity() {
        RateLimiter limiter = spec();
        limiter.acquireForAddress("192.0.2.10");
        limiter.giveBackToAddress("192.0.2.10");
        limiter.giveBackToAddress("192.0.2.10");
        assertEquals(99, limiter.acquireForAddress("192.0.2.10").remaining());
    }

    @Test
    void anotherAddressHasItsOwnBucket() {
        RateLimiter limiter = spec();
        for (int i = 0; i < 100; i++) {
            limiter.acquireForAddress("203.0.113.1");
        }
        assertFalse(limiter.acquireForAddress("203.0.113.1").allowed());
        assertTrue(limiter.acquireForAddress("203.0.113.2").allowed());
    }

    @Test
    void aUserGets500FromAnyAddress() {
        RateLimiter limiter = spec();
        for (int i = 1; i <= 500; i++) {
            assertTrue(limiter.acquireForUser("ursula").allowed(), "request " + i);
        }
        RateDecision refused = limiter.acquireForUser("ursula");
        assertFalse(refused.allowed());
        assertEquals("user", refused.reported().name());
        assertEquals(1, refused.retryAfterSeconds(), "500 a minute: one token every 0.12 s, rounded up");
        assertTrue(limiter.acquireForUser("victor").allowed());
    }

    @Test
    void theGlobalCapHoldsAcrossAddressesAndARefusedRequestTakesNoToken() {
        RateLimiter limiter = spec();
        for (int address = 0; address < 10; address++) {
            for (int i = 0; i < 100; i++) {
                assertTrue(limiter.acquireForAddress("198.51.100." + address).allowed());
            }
        }
        RateDecision refused = limiter.acquireForAddress("198.51.100.99");
        assertFalse(refused.allowed());
        assertEquals("global", refused.reported().name());
        assertEquals(0, refused.remaining());
        assertEquals(1, refused.retryAfterSeconds());

        // 1000 a minute: one global token every 60 ms
        clock.advance(Duration.ofMillis(60));
        RateDecision next = limiter.acquireForAddress("198.51.100.99");
        assertTrue(next.allowed());
        assertEquals("global", next.reported().name(), "the policy nearest to refusing is the one reported");
        assertEquals(0, next.remaining());
    }

    @Test
    void aRequestTheAddressRefusesTakesNoGlobalToken() {
        RateLimiter limiter = limiter(10, 3, 500, 100);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquireForAddress("a").allowed());
        }
        for (int i = 0; i < 50; i++) {
            assertFalse(limiter.acquireForAddress("a").allowed());
        }
        int grantedToOthers = 0;
        for (int i = 0; limiter.acquireForAddress("other-" + (i / 3)).allowed(); i++) {
            grantedToOthers++;
        }
        assertEquals(7, grantedToOthers, "10 global tokens, 3 taken by a's granted requests, none by its refusals");
    }

    @Test
    void aRequestTheGlobalBucketRefusesGivesItsAddressTokenBack() {
        RateLimiter limiter = limiter(3, 5, 500, 100);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquireForAddress("a").allowed());
        }
        // a has 2 tokens of its own left; were they taken by these refusals, the refusals would turn into "ip" ones
        for (int i = 0; i < 10; i++) {
            RateDecision refused = limiter.acquireForAddress("a");
            assertFalse(refused.allowed());
            assertEquals("global", refused.reported().name(), "refusal " + i);
        }
    }

    @Test
    void headersFollowTheIetfDraft() {
        RateLimiter limiter = spec();
        Map<String, String> first = limiter.acquireForAddress("203.0.113.1").headers();
        assertEquals("\"ip\";q=100;w=60, \"global\";q=1000;w=60", first.get("RateLimit-Policy"));
        assertEquals("\"ip\";r=99;t=1", first.get("RateLimit"));
        assertFalse(first.containsKey("Retry-After"));

        for (int i = 0; i < 99; i++) {
            limiter.acquireForAddress("203.0.113.1");
        }
        Map<String, String> refused = limiter.acquireForAddress("203.0.113.1").headers();
        assertEquals("\"ip\";r=0;t=60", refused.get("RateLimit"));
        assertEquals("1", refused.get("Retry-After"));

        Map<String, String> user = limiter.acquireForUser("ursula").headers();
        assertEquals("\"user\";q=500;w=60, \"global\";q=1000;w=60", user.get("RateLimit-Policy"));
    }

    @Test
    void aFloodOfDistinctAddressesCannotGrowTheBucketsPastTheBound() {
        RateLimiter limiter = limiter(Integer.MAX_VALUE, 100, 500, 100_000);
        for (int i = 0; i < 200_000; i++) {
            String address = "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
            assertTrue(limiter.acquireForAddress(address).allowed());
            if (i % 10_000 == 0) {
                assertTrue(limiter.trackedClients() <= 100_000, "tracked " + limiter.trackedClients());
            }
        }
        long tracked = limiter.trackedClients();
        assertTrue(tracked <= 100_000, "tracked " + tracked);
        assertTrue(tracked > 50_000, "the bound is used, not the cache emptied: " + tracked);
    }

    @Test
    void idleBucketsExpireOnceTheyAreFull() {
        RateLimiter limiter = spec();
        limiter.acquireForAddress("203.0.113.1");
        limiter.acquireForUser("ursula");
        assertEquals(2, limiter.trackedClients());
        clock.advance(Duration.ofSeconds(61));
        assertEquals(0, limiter.trackedClients());
    }

    @Test
    void secondsRoundUp() {
        assertEquals(0, RateDecision.ceilSeconds(0));
        assertEquals(1, RateDecision.ceilSeconds(1));
        assertEquals(1, RateDecision.ceilSeconds(1_000_000_000L));
        assertEquals(2, RateDecision.ceilSeconds(1_000_000_001L));
    }
}
