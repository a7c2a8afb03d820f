package dev.monkeytown.events;

/**
 * Sent on a stream that has been quiet for the heartbeat interval, so a consumer can tell a quiet producer from a dead
 * connection. It goes out as an SSE comment, which consumers skip, and carries no offset.
 */
enum Heartbeat implements Delivery {
    PING
}
