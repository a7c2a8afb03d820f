package dev.monkeytown.gateway.proxy;

import io.vertx.core.Vertx;

/**
 * Watches a streaming request body and says whose fault it is when it stops. Every window the body must carry at least
 * {@code minBytesPerWindow}, or the client is too slow — unless the service held it back (back-pressure paused the
 * body during that window): then the window is not the client's. A service that holds it back for the whole stall
 * timeout has stopped reading. A large artifact may take minutes, which is fine; a client that sends a byte a minute
 * while holding a pooled connection to the service is not. One timer per window, not per chunk; all calls on the
 * request's event loop.
 */
final class BodyPace implements MeteredBody.Watcher {

    interface Verdicts {
        void clientTooSlow();

        void serviceStalled();
    }

    private final Vertx vertx;
    private final long windowMillis;
    private final long minBytesPerWindow;
    private final long stallNanos;
    private final Verdicts verdicts;
    private long bytesThisWindow;
    private boolean heldBackThisWindow;
    private long heldBackSince = -1;
    private long timer = -1;

    BodyPace(Vertx vertx, long windowMillis, long minBytesPerWindow, long stallMillis, Verdicts verdicts) {
        this.vertx = vertx;
        this.windowMillis = windowMillis;
        this.minBytesPerWindow = minBytesPerWindow;
        this.stallNanos = stallMillis * 1_000_000;
        this.verdicts = verdicts;
    }

    void start() {
        timer = vertx.setPeriodic(windowMillis, id -> judge());
    }

    private void judge() {
        if (heldBackSince >= 0 && System.nanoTime() - heldBackSince >= stallNanos) {
            stop();
            verdicts.serviceStalled();
        } else if (!heldBackThisWindow && bytesThisWindow < minBytesPerWindow) {
            stop();
            verdicts.clientTooSlow();
        }
        bytesThisWindow = 0;
        heldBackThisWindow = heldBackSince >= 0;
    }

    @Override
    public void bytes(int count) {
        bytesThisWindow += count;
    }

    /** The service's side is full: the body waits for it, not for the client. */
    @Override
    public void heldBack() {
        heldBackThisWindow = true;
        if (heldBackSince < 0) {
            heldBackSince = System.nanoTime();
        }
    }

    @Override
    public void released() {
        heldBackSince = -1;
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
