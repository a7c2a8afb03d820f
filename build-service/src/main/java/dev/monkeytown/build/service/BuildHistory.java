package dev.monkeytown.build.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

import dev.monkeytown.build.builds.Build;

/**
 * The newest builds as last recorded, newest first (build ids sort by creation), for listing and paging. Fed with every
 * committed build change; bounded, so the oldest fall out (the state branch still has them, found by id).
 */
public final class BuildHistory {

    /** A page and whether more match after it. */
    public record Page(List<Build> builds, boolean more) {
    }

    private final int capacity;
    private final ConcurrentSkipListMap<String, Build> builds = new ConcurrentSkipListMap<>(Comparator.reverseOrder());

    public BuildHistory(int capacity) {
        this.capacity = capacity;
    }

    public void addAll(Collection<Build> loaded) {
        loaded.forEach(this::record);
    }

    /** Keeps the newer of what is held and {@code build} (changes can arrive out of order from a reload). */
    public void record(Build build) {
        builds.merge(build.id(), build, (held, next) -> next.revision() >= held.revision() ? next : held);
        while (builds.size() > capacity) {
            builds.pollLastEntry();
        }
    }

    public Optional<Build> find(String id) {
        return Optional.ofNullable(builds.get(id));
    }

    public Optional<Build> newest(Predicate<Build> filter) {
        return builds.values().stream().filter(filter).findFirst();
    }

    /** Matching builds, newest first, older than {@code cursor} when one is given. */
    public Page page(Predicate<Build> filter, int limit, Optional<String> cursor) {
        Collection<Build> from = cursor.map(c -> builds.tailMap(c, false).values()).orElse(builds.values());
        List<Build> out = new ArrayList<>();
        for (Build build : from) {
            if (filter.test(build)) {
                if (out.size() == limit) {
                    return new Page(out, true);
                }
                out.add(build);
            }
        }
        return new Page(out, false);
    }
}
