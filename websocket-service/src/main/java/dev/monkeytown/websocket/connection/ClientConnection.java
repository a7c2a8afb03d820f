package dev.monkeytown.websocket.connection;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executor;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;

import dev.monkeytown.websocket.WsMetrics;
import dev.monkeytown.websocket.hub.Fanout;
import dev.monkeytown.websocket.hub.Subscriber;
import dev.monkeytown.websocket.hub.Topic;

/**
 * One browser: its subscriptions, its flood guard, its liveness and its send window. Frames are counted from the
 * moment they are handed to Vert.x until they are written to the socket. A live event that would put more than
 * {@code maxLive} live frames in flight closes the connection instead of letting its queue grow. Replay and control
 * frames are not held against that limit (a resume may replay a whole topic buffer), but everything in flight is
 * capped at {@code maxLive + replayBuffer}, so a client that keeps resubscribing without reading is closed too.
 * <p>
 * Every method runs on the connection's event loop: socket callbacks do, topics and the heartbeat call in through its
 * {@link Lane}, and Vert.x completes writes there. So the counters are plain fields, without atomics or locks.
 */
final class ClientConnection implements Subscriber {

    private final WebSocketConnection connection;
    private final Lane lane;
    private final WsMetrics metrics;
    private final int maxLive;
    private final int maxTotal;
    private int live;
    private int total;
    private boolean closing;
    private final Set<Topic> topics = EnumSet.noneOf(Topic.class);
    private final FloodGuard flood;
    private long lastHeardNanos = System.nanoTime();

    ClientConnection(WebSocketConnection connection, Lane lane, WsMetrics metrics, int maxLive, int replayBuffer,
            int maxFramesPerSecond) {
        this.connection = connection;
        this.lane = lane;
        this.metrics = metrics;
        this.maxLive = maxLive;
        this.maxTotal = maxLive + replayBuffer;
        this.flood = new FloodGuard(maxFramesPerSecond);
    }

    @Override
    public Executor writer() {
        return lane;
    }

    /** Writes a frame after every frame a topic has already queued for this connection. */
    void enqueue(String frame) {
        lane.execute(() -> write(frame));
    }

    @Override
    public void deliver(String frame, Fanout fanout) {
        if (closing) {
            fanout.done();
            return;
        }
        if (live >= maxLive) {
            fanout.done();
            closeLagging();
            return;
        }
        live++;
        send(frame, fanout);
    }

    @Override
    public void write(String frame) {
        if (closing) {
            return;
        }
        if (total >= maxTotal) {
            closeLagging();
            return;
        }
        send(frame, null);
    }

    private void send(String frame, Fanout fanout) {
        total++;
        connection.sendText(frame).subscribe().with(ignored -> {
            written(fanout);
            metrics.sent();
        }, failure -> written(fanout));
    }

    private void written(Fanout fanout) {
        total--;
        if (fanout != null) {
            live--;
            fanout.done();
        }
    }

    private void closeLagging() {
        if (close(CloseCodes.LAGGING)) {
            metrics.laggingClosed();
        }
    }

    /** @return true for the call that started the close */
    boolean close(CloseReason reason) {
        if (closing) {
            return false;
        }
        closing = true;
        connection.close(reason).subscribe().with(ignored -> {
        }, failure -> {
        });
        return true;
    }

    /** The client sent something (a frame or a pong): it is still there. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    void ping() {
        if (!closing) {
            connection.sendPing(Buffer.buffer()).subscribe().with(ignored -> {
            }, failure -> {
            });
        }
    }

    boolean admitFrame() {
        return flood.admit(System.nanoTime());
    }

    /** Topics this connection subscribed to; touched from its event loop only. */
    Set<Topic> topics() {
        return topics;
    }
}
