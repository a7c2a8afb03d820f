package dev.monkeytown.websocket.hub;

/** One browser connection as a topic sees it. Both methods only enqueue: they never block and never throw. */
public interface Subscriber {

    /** A live event frame; a subscriber that is too far behind refuses it and closes itself. */
    void deliver(String frame, Fanout fanout);

    /** A control or replay frame: bounded by the topic's buffer, so it is always queued. */
    void write(String frame);
}
