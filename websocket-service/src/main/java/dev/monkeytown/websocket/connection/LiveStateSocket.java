package dev.monkeytown.websocket.connection;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

import dev.monkeytown.websocket.WsConfig;
import dev.monkeytown.websocket.WsMetrics;
import dev.monkeytown.websocket.hub.Topic;
import dev.monkeytown.websocket.hub.TopicHub;
import dev.monkeytown.websocket.protocol.ClientFrame;
import dev.monkeytown.websocket.protocol.ClientFrames;
import dev.monkeytown.websocket.protocol.ProtocolException;
import dev.monkeytown.websocket.protocol.ServerFrames;

/** {@code /ws}: the browser protocol of docs/websocket.md. Callbacks run on the connection's event loop. */
@WebSocket(path = "/ws")
public class LiveStateSocket {

    private final Map<String, ClientConnection> clients = new ConcurrentHashMap<>();
    private final TopicHub hub;
    private final WsConfig config;
    private final WsMetrics metrics;
    private final ClientFrames parser;
    private final ServerFrames frames;

    LiveStateSocket(TopicHub hub, WsConfig config, WsMetrics metrics, ObjectMapper json) {
        this.hub = hub;
        this.config = config;
        this.metrics = metrics;
        this.parser = new ClientFrames(json);
        this.frames = new ServerFrames(json);
    }

    @OnOpen
    @NonBlocking
    void open(WebSocketConnection connection) {
        clients.put(connection.id(), new ClientConnection(connection, metrics, config.maxPendingFrames(),
                config.bufferSize(), config.maxFramesPerSecond()));
        metrics.opened();
    }

    @OnTextMessage
    @NonBlocking
    void message(String text, WebSocketConnection connection) {
        ClientConnection client = clients.get(connection.id());
        if (client == null) {
            return;
        }
        if (utf8Length(text) > config.maxFrameBytes()) {
            client.close(CloseCodes.TOO_BIG);
            return;
        }
        if (!client.admitFrame()) {
            client.close(CloseCodes.FLOOD);
            return;
        }
        try {
            ClientFrame frame = parser.parse(text);
            if (frame instanceof ClientFrame.Subscribe subscribe) {
                client.topics().add(subscribe.topic());
                hub.subscribe(subscribe.topic(), client, subscribe.resume());
            } else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
                client.topics().remove(unsubscribe.topic());
                hub.unsubscribe(unsubscribe.topic(), client);
                client.write(frames.unsubscribed(unsubscribe.topic()));
            }
        } catch (ProtocolException e) {
            client.write(frames.error(e));
        }
    }

    @OnClose
    @NonBlocking
    void close(WebSocketConnection connection) {
        ClientConnection client = clients.remove(connection.id());
        if (client == null) {
            return;
        }
        for (Topic topic : client.topics()) {
            hub.unsubscribe(topic, client);
        }
        metrics.closed();
    }

    private int utf8Length(String text) {
        if (text.length() > config.maxFrameBytes()) {
            return text.length(); // already too big in chars, and UTF-8 is never shorter
        }
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
