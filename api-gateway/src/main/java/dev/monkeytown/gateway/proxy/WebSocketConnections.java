package dev.monkeytown.gateway.proxy;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Open {@code /ws} tunnels per caller (an anonymous client's address or a user). Only callers with an open connection
 * are kept, so the map is as large as the number of tunnels, which the caps bound in turn.
 */
final class WebSocketConnections {

    /** One open connection's place, given back once when it closes. */
    final class Slot {
        private final String caller;
        private boolean released;

        private Slot(String caller) {
            this.caller = caller;
        }

        void release() {
            if (!released) {
                released = true;
                open.computeIfPresent(caller, (key, count) -> count == 1 ? null : count - 1);
            }
        }
    }

    private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

    /** A slot for {@code caller}, unless it already holds {@code max} connections. */
    Optional<Slot> tryOpen(String caller, int max) {
        boolean[] granted = {false};
        open.compute(caller, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            granted[0] = true;
            return now + 1;
        });
        return granted[0] ? Optional.of(new Slot(caller)) : Optional.empty();
    }

    int open(String caller) {
        return open.getOrDefault(caller, 0);
    }
}
