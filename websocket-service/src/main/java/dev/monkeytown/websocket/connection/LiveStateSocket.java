package dev.monkeytown.websocket.connection;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

import dev.monkeytown.websocket.WsConfig;
import dev.monkeytown.websocket.WsMetrics;
import dev.monkeytown.websocket.hub.Topic;
import dev.monkeytown.websocket.hub.TopicHub;
import dev.monkeytown.websocket.protocol.ClientFrame;
import dev.monkeytown.websocket.protocol.ClientFrames;
import dev.monkeytown.websocket.protocol.ProtocolException;
import dev.monkeytown.websocket.protocol.ServerFrames;

/**
 * {@code /ws}: the browser protocol of docs/websocket.md. Every callback is non-blocking and runs on the connection's
 * event loop, one after another, so frames of one connection are handled in order without websockets-next's
 * per-connection serializing queue ({@code CONCURRENT} mode skips it; that queue alone was 1.4 KB per idle
 * connection).
 */
@WebSocket(path = "/ws", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class LiveStateSocket {

    private final Lanes lanes;
    private final TopicHub hub;
    private final WsConfig config;
    private final WsMetrics metrics;
    private final ClientFrames parser;
    private final ServerFrames frames;

    LiveStateSocket(Lanes lanes, TopicHub hub, WsConfig config, WsMetrics metrics, ObjectMapper json) {
        this.lanes = lanes;
        this.hub = hub;
        this.config = config;
        this.metrics = metrics;
        this.parser = new ClientFrames(json);
        this.frames = new ServerFrames(json);
    }

    @OnOpen
    @NonBlocking
    void open(WebSocketConnection connection) {
        Lane lane = lanes.current();
        lane.add(connection.id(), new ClientConnection(connection, lane, metrics, config.maxPendingFrames(),
                config.bufferSize(), config.maxFramesPerSecond()));
        metrics.opened();
    }

    @OnTextMessage
    @NonBlocking
    void message(String text, WebSocketConnection connection) {
        ClientConnection client = clientOf(connection);
        if (client == null) {
            return;
        }
        client.heard();
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
                client.enqueue(frames.unsubscribed(unsubscribe.topic()));
            }
        } catch (ProtocolException e) {
            client.enqueue(frames.error(e));
        }
    }

    @OnPongMessage
    @NonBlocking
    void pong(Buffer data, WebSocketConnection connection) {
        ClientConnection client = clientOf(connection);
        if (client != null) {
            client.heard();
        }
    }

    @OnClose
    @NonBlocking
    void close(WebSocketConnection connection) {
        ClientConnection client = lanes.current().remove(connection.id());
        if (client == null) {
            return;
        }
        for (Topic topic : client.topics()) {
            hub.unsubscribe(topic, client);
        }
        metrics.closed();
    }

    private ClientConnection clientOf(WebSocketConnection connection) {
        return lanes.current().get(connection.id());
    }

    private int utf8Length(String text) {
        if (text.length() > config.maxFrameBytes()) {
            return text.length(); // already too big in chars, and UTF-8 is never shorter
        }
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
