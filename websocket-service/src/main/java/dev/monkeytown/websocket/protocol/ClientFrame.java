package dev.monkeytown.websocket.protocol;

import dev.monkeytown.websocket.hub.Position;
import dev.monkeytown.websocket.hub.Topic;

/** What a browser may ask for. */
public sealed interface ClientFrame {

    /** @param resume the client's last position, or null for live events only */
    record Subscribe(Topic topic, Position resume) implements ClientFrame {
    }

    record Unsubscribe(Topic topic) implements ClientFrame {
    }
}
