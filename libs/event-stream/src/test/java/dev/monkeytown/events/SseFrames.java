package dev.monkeytown.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A text/event-stream reader over java.net.http: the consumer side the way websocket-service sees the stream. */
final class SseFrames implements AutoCloseable {

    record Frame(String id, String event, String data) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(data);
            } catch (Exception e) {
                throw new AssertionError("frame data is not JSON: " + data, e);
            }
        }
    }

    static final Frame END = new Frame(null, "<end of stream>", null);

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;

    private SseFrames(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static SseFrames open(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("X-Monkeytown-Internal-Token", token);
        }
        HttpResponse<Stream<String>> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(30, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        return new SseFrames(response);
    }

    Frame next() throws InterruptedException {
        Frame frame = frames.poll(30, TimeUnit.SECONDS);
        assertNotNull(frame, "no SSE frame within 30 s");
        return frame;
    }

    /** Every line read so far, comments included, as it came off the wire. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = null;
        try {
            Iterator<String> lines = response.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                this.lines.add(line);
                if (line.isEmpty()) {
                    if (data != null || event != null) {
                        frames.add(new Frame(id, event, data == null ? null : data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = field(line);
                } else if (line.startsWith("event:")) {
                    event = field(line);
                } else if (line.startsWith("data:")) {
                    data = data == null ? new StringBuilder(field(line)) : data.append('\n').append(field(line));
                }
            }
        } catch (RuntimeException e) {
            // the connection was closed: the test reads END
        }
        frames.add(END);
    }

    private static String field(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
