package dev.monkeytown.dispatcher.runs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * The newest runs in memory, for listing and lookups without a store round trip. Run ids sort by creation time, so the
 * map's descending order is "newest first" and an id is a stable pagination cursor. Bounded: beyond {@code capacity}
 * the oldest records leave memory (they stay on the state branch and are still found by id through {@link RunBook}).
 */
public final class RunHistory {

    private final ConcurrentSkipListMap<String, RunRecord> newestFirst = new ConcurrentSkipListMap<>(
            Comparator.reverseOrder());
    private final int capacity;

    public RunHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    public void put(RunRecord record) {
        newestFirst.put(record.id(), record);
        while (newestFirst.size() > capacity) {
            Map.Entry<String, RunRecord> oldest = newestFirst.lastEntry();
            if (oldest == null || !oldest.getValue().run().state().isTerminal()) {
                break; // never forget a live run: it is still being looked after
            }
            newestFirst.remove(oldest.getKey());
        }
    }

    public Optional<RunRecord> find(String id) {
        return Optional.ofNullable(newestFirst.get(id));
    }

    /**
     * Up to {@code limit} runs matching {@code filter}, newest first, strictly older than {@code cursor} when given.
     * Also returns whether more matching runs follow.
     */
    public Page page(Predicate<RunRecord> filter, int limit, Optional<String> cursor) {
        Map<String, RunRecord> from = cursor.<Map<String, RunRecord>>map(c -> newestFirst.tailMap(c, false))
                .orElse(newestFirst);
        List<RunRecord> runs = new ArrayList<>(limit);
        boolean more = false;
        for (RunRecord record : from.values()) {
            if (!filter.test(record)) {
                continue;
            }
            if (runs.size() == limit) {
                more = true;
                break;
            }
            runs.add(record);
        }
        return new Page(runs, more);
    }

    public int size() {
        return newestFirst.size();
    }

    public record Page(List<RunRecord> runs, boolean more) {
    }
}
