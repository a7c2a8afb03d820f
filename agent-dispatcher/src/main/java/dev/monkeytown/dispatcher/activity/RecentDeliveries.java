package dev.monkeytown.dispatcher.activity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code X-GitHub-Delivery} ids whose business figures were counted, so a redelivery (GitHub's "redeliver", the
 * gateway retrying after a 503, a second gateway replica) is not counted again. Bounded: the oldest ids fall out, so a
 * redelivery older than the last {@code capacity} deliveries would count again; GitHub redelivers within hours, and
 * the default capacity covers far more deliveries than this repository sees in that time. In memory: a restart
 * forgets it (see docs/operations.md, "Business metrics").
 */
public final class RecentDeliveries {

    private final Map<String, Boolean> seen;

    public RecentDeliveries(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records {@code delivery}; true the first time (within the memory's reach), false for a redelivery. */
    public synchronized boolean firstTime(String delivery) {
        return seen.putIfAbsent(delivery, Boolean.TRUE) == null;
    }
}
