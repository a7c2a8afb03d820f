package dev.monkeytown.websocket.hub;

import java.util.concurrent.Executor;

/**
 * One browser connection as a topic sees it. A topic calls {@link #deliver} and {@link #write} only from tasks it
 * hands to {@link #writer()}, so a connection's frames are written from one thread in the order the topic decided
 * them. Both methods only enqueue: they never block and never throw.
 */
public interface Subscriber {

    /**
     * Runs this subscriber's writes, in submission order (its event loop). Subscribers that return the same executor
     * get each event in one task: one hand-off per event loop instead of one per connection.
     */
    Executor writer();

    /** A live event frame; a subscriber that is too far behind refuses it and closes itself. */
    void deliver(String frame, Fanout fanout);

    /** A control or replay frame: bounded by the topic's buffer, so it is always queued. */
    void write(String frame);
}
