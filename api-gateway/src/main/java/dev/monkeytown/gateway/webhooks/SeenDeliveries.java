package dev.monkeytown.gateway.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code X-GitHub-Delivery} ids this gateway instance has accepted recently, so a redelivery is acknowledged
 * without being forwarded again. Bounded in both size and age: a flood of deliveries pushes out the oldest ids instead
 * of growing the heap.
 *
 * <p>
 * Per instance: with several gateway replicas a redelivery may reach one that never saw the original and is forwarded
 * again. The consumers are idempotent for exactly that reason (the dispatcher coalesces on-change triggers per commit
 * and ignores a {@code workflow_run} report that does not move a run forward), so this memory saves work; it is not
 * what keeps the suite correct.
 */
public final class SeenDeliveries {

    private final int capacity;
    private final Duration ttl;
    private final Clock clock;
    // insertion order is age order: expired ids are always at the head
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    public SeenDeliveries(int capacity, Duration ttl, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Records {@code delivery}; true the first time (within the memory's reach), false for a duplicate. */
    public synchronized boolean firstTime(String delivery) {
        Instant now = clock.instant();
        forgetExpired(now);
        if (seen.containsKey(delivery)) {
            return false;
        }
        seen.put(delivery, now);
        if (seen.size() > capacity) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Forgets {@code delivery}, so a redelivery of it is processed: used when forwarding it finally failed. */
    public synchronized void forget(String delivery) {
        seen.remove(delivery);
    }

    public synchronized int size() {
        return seen.size();
    }

    private void forgetExpired(Instant now) {
        Instant cutoff = now.minus(ttl);
        Iterator<Map.Entry<String, Instant>> entries = seen.entrySet().iterator();
        while (entries.hasNext()) {
            if (entries.next().getValue().isAfter(cutoff)) {
                return;
            }
            entries.remove();
        }
    }
}
