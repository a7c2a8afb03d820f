package dev.monkeytown.websocket.hub;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/** Times one event from its arrival to the moment the last subscriber's write finished (or was given up). */
public final class Fanout {

    private final long receivedNanos;
    private final AtomicInteger remaining;
    private final LongConsumer onDone;

    Fanout(long receivedNanos, int subscribers, LongConsumer onDone) {
        this.receivedNanos = receivedNanos;
        this.remaining = new AtomicInteger(subscribers);
        this.onDone = onDone;
    }

    public void done() {
        if (remaining.decrementAndGet() == 0) {
            onDone.accept(System.nanoTime() - receivedNanos);
        }
    }
}
