package dev.monkeytown.websocket.connection;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The {@link Lane} of each event loop that has served a connection: as many as the server has event loops. */
@ApplicationScoped
class Lanes {

    private final Map<Context, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * The lane of the calling event loop. Callbacks run on a per-connection duplicate of the loop's context; its root
     * is the loop's own context, shared by every connection the loop serves.
     */
    Lane current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("not called from an event loop");
        }
        return lanes.computeIfAbsent(VertxContext.getRootContext(context), Lane::new);
    }

    Collection<Lane> all() {
        return lanes.values();
    }
}
