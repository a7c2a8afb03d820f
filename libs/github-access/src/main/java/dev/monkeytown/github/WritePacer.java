package dev.monkeytown.github;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Spaces content-creating requests: at least {@code minInterval} apart, at most {@code perMinute} in any minute and
 * {@code perHour} in any hour, at most {@code maxInFlight} at once. A slot is taken only when the back-off gate is
 * also open, so the recorded send times are the real ones.
 */
final class WritePacer {

    private final WritePacing pacing;
    private final Semaphore inFlight;
    /** Send times; concurrent so the metrics gauge reads it without waiting behind a writer that sleeps for a slot. */
    private final Deque<Long> sentNanos = new ConcurrentLinkedDeque<>();

    WritePacer(WritePacing pacing) {
        this.pacing = pacing;
        this.inFlight = new Semaphore(pacing.maxInFlight(), true);
    }

    /** Waits for a slot; the caller must {@link #release()} once the response is in. */
    void acquire(Instant deadline, BackoffGate gate, ApiRequest request) throws InterruptedException {
        if (!inFlight.tryAcquire(millisUntil(deadline), TimeUnit.MILLISECONDS)) {
            throw new GitHubUnavailableException("too many writes in flight for the bounded wait: " + request, null);
        }
        try {
            synchronized (this) {
                while (true) {
                    gate.awaitOpen(deadline, request);
                    long waitNanos = nanosUntilAllowed(System.nanoTime());
                    if (waitNanos <= 0) {
                        sentNanos.addLast(System.nanoTime());
                        return;
                    }
                    if (Instant.now().plusNanos(waitNanos).isAfter(deadline)) {
                        throw new GitHubUnavailableException("write budget exhausted for the bounded wait: " + request,
                                null);
                    }
                    TimeUnit.NANOSECONDS.sleep(waitNanos);
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            inFlight.release();
            throw e;
        }
    }

    void release() {
        inFlight.release();
    }

    /** Writes still allowed in the current hour. */
    int hourlyRemaining() {
        long hourAgo = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
        return pacing.perHour() - (int) sentNanos.stream().filter(t -> t > hourAgo).count();
    }

    private long nanosUntilAllowed(long now) {
        long hour = TimeUnit.HOURS.toNanos(1);
        while (!sentNanos.isEmpty() && sentNanos.peekFirst() <= now - hour) {
            sentNanos.removeFirst();
        }
        long wait = 0;
        if (!sentNanos.isEmpty()) {
            wait = Math.max(wait, sentNanos.peekLast() + pacing.minInterval().toNanos() - now);
        }
        wait = Math.max(wait, windowWait(now, TimeUnit.MINUTES.toNanos(1), pacing.perMinute()));
        wait = Math.max(wait, windowWait(now, hour, pacing.perHour()));
        return wait;
    }

    /** If {@code limit} writes already fall in the window, wait until the oldest of them leaves it. */
    private long windowWait(long now, long window, int limit) {
        long inWindow = sentNanos.stream().filter(t -> t > now - window).count();
        if (inWindow < limit) {
            return 0;
        }
        long oldestCounted = sentNanos.stream().filter(t -> t > now - window).skip(inWindow - limit).findFirst()
                .orElse(now);
        return oldestCounted + window - now;
    }

    private static long millisUntil(Instant deadline) {
        return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }
}
