package dev.monkeytown.github;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Last response with an ETag per read, so the next identical read revalidates with {@code If-None-Match} and a 304
 * (free on GitHub) is answered from here. Least recently used entries go first once {@code maxBytes} is exceeded.
 */
final class ConditionalCache {

    record Entry(String etag, ApiResponse response) {
    }

    private final long maxBytes;
    private long bytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

    ConditionalCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(String key, String etag, ApiResponse response) {
        Entry old = entries.put(key, new Entry(etag, response));
        if (old != null) {
            bytes -= old.response().body().length;
        }
        bytes += response.body().length;
        var it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            bytes -= eldest.getValue().response().body().length;
            it.remove();
        }
    }
}
