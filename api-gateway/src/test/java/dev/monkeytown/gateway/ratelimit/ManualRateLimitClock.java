package dev.monkeytown.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/** A clock the test turns; enabled only by {@link RateLimitTestProfile}, and usable directly in unit tests. */
@Alternative
@Singleton
public class ManualRateLimitClock implements RateLimitClock {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    public void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
