package dev.monkeytown.state.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The one cache of a branch's immutable objects: blob bytes by Git id. Bounded by bytes, not entries, since documents
 * range from a few bytes to megabytes; least recently and least frequently used blobs go first (Caffeine's
 * W-TinyLFU). Blob ids name their content, so an entry is never stale: a miss just costs a backend read. Backends do
 * not cache blobs themselves, so the same bytes are held once.
 */
final class ObjectCache {

    /** Java object and array headers, the key and the map entry, roughly. */
    private static final int ENTRY_OVERHEAD = 160;

    private final Cache<String, byte[]> blobs;

    ObjectCache(long maxBytes) {
        this.blobs = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String id, byte[] content) -> (int) Math.min(Integer.MAX_VALUE,
                        (long) content.length + ENTRY_OVERHEAD))
                // eviction work on the writing thread: no hidden common-pool tasks, and tests see the bound at once
                .executor(Runnable::run)
                .build();
    }

    /** The blob, or null if not in memory. Callers must not modify the array. */
    byte[] get(String id) {
        return blobs.getIfPresent(id);
    }

    void put(String id, byte[] content) {
        blobs.put(id, content);
    }

    /** Bytes held now (weights), for metrics and tests. */
    long weightedSize() {
        blobs.cleanUp();
        return blobs.policy().eviction().flatMap(e -> e.weightedSize().stream().boxed().findFirst()).orElse(0L);
    }
}
