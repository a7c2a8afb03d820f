package dev.monkeytown.websocket.connection;

import io.quarkus.websockets.next.CloseReason;

/** Why the server closes a connection; reasons stay under the protocol's 123 bytes. */
final class CloseCodes {

    static final CloseReason TOO_BIG = new CloseReason(1009, "frame larger than the limit");
    static final CloseReason FLOOD = new CloseReason(1008, "too many frames per second");
    static final CloseReason LAGGING = new CloseReason(4000,
            "too slow: reconnect and resubscribe with your last epoch and offset");
    static final CloseReason NO_ANSWER = new CloseReason(4001,
            "no answer to ping: reconnect and resubscribe with your last epoch and offset");

    private CloseCodes() {
    }
}
