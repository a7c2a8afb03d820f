package dev.monkeytown.websocket.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import io.vertx.core.Context;

/**
 * One event loop and the connections it serves. A connection lives on one event loop for its whole life, and every
 * callback of {@link LiveStateSocket} runs there, so this map needs no lock: it is touched from that loop only. As an
 * {@link Executor} the lane is what topics group subscribers by, so one event costs one task per event loop.
 */
final class Lane implements Executor {

    private final Context loop;
    private final Map<String, ClientConnection> clients = new HashMap<>();

    Lane(Context loop) {
        this.loop = loop;
    }

    /** Runs the task on this lane's event loop after everything submitted before it. */
    @Override
    public void execute(Runnable task) {
        loop.runOnContext(ignored -> task.run());
    }

    void add(String id, ClientConnection client) {
        clients.put(id, client);
    }

    ClientConnection get(String id) {
        return clients.get(id);
    }

    ClientConnection remove(String id) {
        return clients.remove(id);
    }

    /** A copy, so a sweep may close connections while it walks them. */
    List<ClientConnection> clients() {
        return new ArrayList<>(clients.values());
    }
}
