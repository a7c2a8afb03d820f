package dev.monkeytown.websocket.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real WebSocket client (the JDK's) that keeps every frame it receives and how it was closed. */
final class WsTestClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private WsTestClient(URI uri, Map<String, String> headers, List<String> subprotocols) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
        }
        this.socket = builder.buildAsync(uri, this).join();
    }

    static WsTestClient connect(URI uri) {
        return new WsTestClient(uri, Map.of(), List.of());
    }

    static WsTestClient connect(URI uri, Map<String, String> headers) {
        return new WsTestClient(uri, headers, List.of());
    }

    /** Offers these subprotocols, as {@code new WebSocket(url, [...])} does in a browser. */
    static WsTestClient offering(URI uri, String... subprotocols) {
        return new WsTestClient(uri, Map.of(), List.of(subprotocols));
    }

    /** The subprotocol the server picked; empty when it picked none. */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    JsonNode next() throws InterruptedException {
        JsonNode frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return frame;
    }

    /** The next {@code count} frames, which must all be event frames. */
    List<JsonNode> events(int count) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode frame = next();
            if (!"event".equals(frame.path("type").asText())) {
                throw new AssertionError("expected an event frame, got " + frame);
            }
            events.add(frame);
        }
        return events;
    }

    int awaitClose() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    boolean isOpen() {
        return !socket.isInputClosed() && !closeCode.isDone();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException("server sent a frame that is not JSON", e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }
}
