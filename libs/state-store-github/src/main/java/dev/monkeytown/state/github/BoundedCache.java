package dev.monkeytown.state.github;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** Least-recently-used map bounded by a weight (bytes, entries). For immutable Git objects: no revalidation. */
final class BoundedCache<K, V> {

    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    BoundedCache(long maxWeight, ToLongFunction<V> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    synchronized Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(K key, V value) {
        V old = entries.put(key, value);
        if (old != null) {
            weight -= weigher.applyAsLong(old);
        }
        weight += weigher.applyAsLong(value);
        var it = entries.entrySet().iterator();
        while (weight > maxWeight && entries.size() > 1 && it.hasNext()) {
            Map.Entry<K, V> eldest = it.next();
            weight -= weigher.applyAsLong(eldest.getValue());
            it.remove();
        }
    }
}
