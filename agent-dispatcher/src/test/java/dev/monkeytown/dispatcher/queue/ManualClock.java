package dev.monkeytown.dispatcher.queue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand — forwards, not at all (same-millisecond bursts), or backwards. */
final class ManualClock extends Clock {

    private long millis;

    ManualClock(long millis) {
        this.millis = millis;
    }

    ManualClock(Instant start) {
        this(start.toEpochMilli());
    }

    /** Moves the clock by {@code delta} milliseconds; negative steps it back. */
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
        throw new UnsupportedOperationException("tests use UTC only");
    }
}
