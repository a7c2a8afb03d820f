package dev.monkeytown.events.client;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.events.Gap;
import dev.monkeytown.events.Overflow;
import dev.monkeytown.events.SlowSubscriberException;

/**
 * A producer over a real {@link EventLog}, serving {@code /internal/events} the way EventStreamResource does (same
 * frames, gaps and overflow), on a port that survives {@link #stop()} / {@link #restart}, so tests can cut connections
 * and restart the producer with a new epoch. EventStreamClientAgainstResourceTest checks the client against the real
 * resource too.
 */
final class TestProducer implements AutoCloseable {

    static final String TOKEN = "test-producer-token";
    static final String PING = ": ping\n\n";

    private final Vertx vertx;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger streamRequests = new AtomicInteger();
    final List<String> streamAfters = new CopyOnWriteArrayList<>(); // the after parameter of each stream request
    private volatile EventLog log;
    private volatile boolean splitWrites;
    private long heartbeatTimer = -1;
    private HttpServer server;
    private int port;

    TestProducer(Vertx vertx, EventLog log) {
        this.vertx = vertx;
        this.log = log;
        listen(0);
    }

    EventLog log() {
        return log;
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    int openStreams() {
        return streams.size();
    }

    /** Writes every frame in 3-byte pieces, so the client sees frames split across buffers. */
    void splitWrites() {
        splitWrites = true;
    }

    /** Writes {@code : ping} to every open stream at this pace, as the resource does on a quiet stream. */
    synchronized void sendHeartbeats(Duration every) {
        stopHeartbeats();
        heartbeatTimer = vertx.setPeriodic(every.toMillis(), id -> streams.forEach(stream -> stream.send(PING)));
    }

    /** Stops the heartbeats: open streams go silent without closing, like a connection whose far end vanished. */
    synchronized void stopHeartbeats() {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
    }

    /** Drops every open connection, like a network cut or a crash; the server keeps listening. */
    void dropConnections() {
        for (Stream stream : streams) {
            stream.kill();
        }
    }

    /** Stops listening and drops every connection: connects are refused until {@link #restart}. */
    void stop() {
        dropConnections();
        await(server.close());
    }

    /** Listens again on the same port, serving {@code newLog} (a new log is a new epoch: a producer restart). */
    void restart(EventLog newLog) {
        this.log = newLog;
        listen(port);
    }

    /** Cuts every open stream off with an overflow frame, as the resource does for a slow consumer. */
    void overflowAll() {
        for (Stream stream : streams) {
            stream.overflow();
        }
    }

    @Override
    public void close() {
        stopHeartbeats();
        dropConnections();
        await(server.close());
    }

    private void listen(int onPort) {
        server = vertx.createHttpServer().requestHandler(this::handle);
        port = await(server.listen(onPort, "localhost")).actualPort();
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        if (!TOKEN.equals(request.getHeader(EventStreamClient.TOKEN_HEADER))) {
            request.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
                    .end("{\"status\":401,\"title\":\"Internal token missing or wrong\"}");
            return;
        }
        EventLog current = log;
        if (request.path().equals("/internal/events/head")) {
            request.response().putHeader("Content-Type", "application/json").end(write(current.head()));
            return;
        }
        if (!request.path().equals("/internal/events")) {
            request.response().setStatusCode(404).end();
            return;
        }
        streamRequests.incrementAndGet();
        String after = request.getParam("after");
        streamAfters.add(String.valueOf(after));
        String epoch = request.getParam("epoch");
        Multi<String> frames;
        if (after == null) {
            frames = framesOf(current.subscribeToNew(), -1);
        } else {
            long offset = Long.parseLong(after);
            if (epoch != null && !epoch.equals(current.epoch())) {
                long first = current.since(0).firstRetained();
                String gap = frame(null, "gap", new Gap(false, current.epoch(), offset, first, Gap.EPOCH_CHANGED));
                frames = Multi.createBy().concatenating().streams(Multi.createFrom().item(gap),
                        framesOf(current.subscribe(0), first - 1));
            } else if (offset > current.head().offset()) {
                request.response().setStatusCode(400).end("{\"detail\":\"after beyond latest\"}");
                return;
            } else {
                frames = framesOf(current.subscribe(offset), offset);
            }
        }
        HttpServerResponse response = request.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream");
        response.write(""); // send the headers now, as the resource does
        Stream stream = new Stream(request, current);
        streams.add(stream);
        stream.subscription = frames.subscribe().with(stream::send, failure -> stream.response().end());
        response.closeHandler(v -> stream.cancel());
    }

    private Multi<String> framesOf(Multi<Event> events, long after) {
        return Multi.createFrom().deferred(() -> {
            long[] expected = {after < 0 ? 0 : after + 1};
            return events.onItem().transformToIterable(event -> {
                String frame = frame(event.epoch() + ":" + event.offset(), event.type(), event);
                boolean gap = expected[0] != 0 && event.offset() > expected[0];
                long resumedAfter = expected[0] - 1;
                expected[0] = event.offset() + 1;
                return gap
                        ? List.of(frame(null, "gap", new Gap(false, event.epoch(), resumedAfter, event.offset(),
                                Gap.EVICTED)), frame)
                        : List.of(frame);
            }).onFailure(SlowSubscriberException.class).recoverWithItem(e -> frame(null, "overflow",
                    new Overflow(log.epoch(), ((SlowSubscriberException) e).lastDelivered(), e.getMessage())));
        });
    }

    private String frame(String id, String event, Object data) {
        return (id == null ? "" : "id:" + id + "\n") + "event:" + event + "\ndata:" + write(data) + "\n\n";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Stream {
        private final HttpServerRequest request;
        private final EventLog log;
        volatile Cancellable subscription;

        Stream(HttpServerRequest request, EventLog log) {
            this.request = request;
            this.log = log;
        }

        HttpServerResponse response() {
            return request.response();
        }

        synchronized void send(String frame) {
            if (response().ended()) {
                return;
            }
            if (!splitWrites) {
                response().write(frame);
                return;
            }
            byte[] bytes = frame.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 3) {
                response().write(io.vertx.core.buffer.Buffer.buffer(
                        java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 3))));
            }
        }

        synchronized void overflow() {
            cancel();
            response().end(frame(null, "overflow", new Overflow(log.epoch(), 0, "test overflow")));
        }

        void kill() {
            cancel();
            request.connection().close();
        }

        void cancel() {
            streams.remove(this);
            Cancellable s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
