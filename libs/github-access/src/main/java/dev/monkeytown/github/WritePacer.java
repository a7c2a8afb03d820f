package dev.monkeytown.github;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Spaces content-creating requests: at least {@code minInterval} apart, at most {@code perMinute} in any minute and
 * {@code perHour} in any hour, at most {@code maxInFlight} at once.
 * <p>
 * A writer reserves its slot (a send time, possibly in the future) under the monitor and sleeps until it outside the
 * monitor, so a writer whose slot is far away never holds up one that is told at once there is no slot before its
 * deadline. If the back-off gate closed while a writer slept, its slot is given back and it queues again: a reserved
 * slot is only kept when the write is really sent then, so the counted send times are the real ones.
 * <p>
 * Why hand-written rather than SmallRye Fault Tolerance's {@code @RateLimit}: that rejects a call beyond the limit at
 * once instead of giving it the next free slot, holds one window per guard (we need a minimum spacing, a minute and an
 * hour together), and cannot answer "no slot before your deadline" nor give a slot back when GitHub closes the gate.
 */
final class WritePacer {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final WritePacing pacing;
    private final Semaphore inFlight;
    /** Reserved send times on the monotonic clock, oldest first; never decreasing, since each is after the last. */
    private final Deque<Long> slots = new ArrayDeque<>();

    WritePacer(WritePacing pacing) {
        this.pacing = pacing;
        this.inFlight = new Semaphore(pacing.maxInFlight(), true);
    }

    /** Waits for a slot; the caller must {@link #release()} once the response is in. */
    void acquire(Deadline deadline, BackoffGate gate, ApiRequest request) throws InterruptedException {
        if (!inFlight.tryAcquire(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
            throw new GitHubUnavailableException("too many writes in flight for the bounded wait: " + request, null);
        }
        try {
            while (true) {
                gate.awaitOpen(deadline, request);
                long slot = reserve(deadline, request);
                try {
                    sleepUntil(slot);
                } catch (InterruptedException e) {
                    giveBack(slot);
                    throw e;
                }
                if (gate.isOpen()) {
                    return;
                }
                // GitHub asked us to stop while we waited: this slot will not be used, wait for the gate again
                giveBack(slot);
            }
        } catch (RuntimeException | InterruptedException e) {
            inFlight.release();
            throw e;
        }
    }

    void release() {
        inFlight.release();
    }

    /** Writes still allowed in the current hour (reserved slots count as spent). */
    synchronized int hourlyRemaining() {
        long hourAgo = System.nanoTime() - HOUR;
        return pacing.perHour() - (int) slots.stream().filter(t -> t - hourAgo > 0).count();
    }

    private synchronized long reserve(Deadline deadline, ApiRequest request) {
        long now = System.nanoTime();
        while (!slots.isEmpty() && now - slots.peekFirst() >= HOUR) {
            slots.removeFirst();
        }
        long slot = now;
        if (!slots.isEmpty()) {
            slot = later(slot, slots.peekLast() + pacing.minInterval().toNanos());
        }
        slot = later(slot, windowOpening(MINUTE, pacing.perMinute(), now));
        slot = later(slot, windowOpening(HOUR, pacing.perHour(), now));
        if (deadline.isBefore(slot)) {
            throw new GitHubUnavailableException("write budget exhausted for the bounded wait: " + request, null);
        }
        slots.addLast(slot);
        return slot;
    }

    /**
     * The earliest time at which one more write fits in a window of {@code limit}: once the {@code limit}-th most
     * recent slot has left it. Every slot is at or before the new one, so that is the only one that matters.
     */
    private long windowOpening(long window, int limit, long now) {
        if (slots.size() < limit) {
            return now;
        }
        Iterator<Long> newestFirst = slots.descendingIterator();
        for (int i = 1; i < limit; i++) {
            newestFirst.next();
        }
        return newestFirst.next() + window;
    }

    private synchronized void giveBack(long slot) {
        slots.removeLastOccurrence(slot);
    }

    private static void sleepUntil(long slot) throws InterruptedException {
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static long later(long a, long b) {
        return a - b >= 0 ? a : b;
    }
}
