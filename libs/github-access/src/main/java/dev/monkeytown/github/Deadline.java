package dev.monkeytown.github;

import java.time.Duration;

/**
 * The end of a caller's bounded wait, on the local monotonic clock: waits are compared with it, never with wall-clock
 * time, which may jump.
 */
record Deadline(long nanos) {

    static Deadline in(Duration wait) {
        return new Deadline(System.nanoTime() + wait.toNanos());
    }

    long remainingNanos() {
        return Math.max(0, nanos - System.nanoTime());
    }

    /** Whether something that can only happen at monotonic time {@code atNanos} happens too late. */
    boolean isBefore(long atNanos) {
        return atNanos - nanos > 0;
    }
}
