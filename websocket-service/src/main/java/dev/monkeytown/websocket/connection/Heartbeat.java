package dev.monkeytown.websocket.connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

import dev.monkeytown.websocket.WsConfig;
import dev.monkeytown.websocket.WsMetrics;

/**
 * Pings every connection each {@code ping-interval} and closes the ones that have sent nothing, not even a pong, for
 * {@code pong-timeout}: a peer that vanished without closing (a laptop lid, a dropped mobile network) would otherwise
 * hold its socket, its subscriptions and its queue until TCP gives up, which takes many minutes. One timer for the
 * whole service, one task per event loop per sweep, instead of a timer per connection.
 */
@ApplicationScoped
class Heartbeat {

    private final Vertx vertx;
    private final Lanes lanes;
    private final WsMetrics metrics;
    private final long pingIntervalMillis;
    private final long pongTimeoutNanos;
    private long timer = -1;

    Heartbeat(Vertx vertx, Lanes lanes, WsMetrics metrics, WsConfig config) {
        this.vertx = vertx;
        this.lanes = lanes;
        this.metrics = metrics;
        this.pingIntervalMillis = config.pingInterval().toMillis();
        this.pongTimeoutNanos = config.pongTimeout().toNanos();
        if (config.pongTimeout().compareTo(config.pingInterval()) <= 0) {
            throw new IllegalArgumentException("monkeytown.ws.pong-timeout (" + config.pongTimeout()
                    + ") must be longer than monkeytown.ws.ping-interval (" + config.pingInterval()
                    + "), or every quiet connection is closed before it can answer");
        }
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(pingIntervalMillis, id -> sweep());
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(timer);
    }

    private void sweep() {
        for (Lane lane : lanes.all()) {
            lane.execute(() -> sweep(lane));
        }
    }

    private void sweep(Lane lane) {
        long now = System.nanoTime();
        for (ClientConnection client : lane.clients()) {
            if (client.silentNanos(now) > pongTimeoutNanos) {
                if (client.close(CloseCodes.NO_ANSWER)) {
                    metrics.unansweredClosed();
                }
            } else {
                client.ping();
            }
        }
    }
}
