package dev.monkeytown.websocket.bench;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;

/**
 * A producer over a real {@link EventLog}, serving {@code /internal/events} and {@code /internal/events/head} in the
 * wire format of EventStreamResource (SSE {@code id:<epoch>:<offset>}, {@code event:<type>}, {@code data:<Event
 * JSON>}). Trimmed from event-stream's TestProducer: no token check, no gap/overflow frames (the benchmark never
 * needs them: one log, one epoch, a buffer far larger than the events published).
 */
final class BenchProducer {

    final EventLog log = EventLog.inMemory(10_000, 10_000);
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    final int port;

    BenchProducer(Vertx vertx) throws Exception {
        port = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private void handle(HttpServerRequest request) {
        if (request.path().equals("/internal/events/head")) {
            request.response().putHeader("Content-Type", "application/json").end(write(log.head()));
            return;
        }
        if (!request.path().equals("/internal/events")) {
            request.response().setStatusCode(404).end();
            return;
        }
        String after = request.getParam("after");
        String epoch = request.getParam("epoch");
        Multi<Event> events;
        if (after == null) {
            events = log.subscribeToNew();
        } else if (epoch != null && !epoch.equals(log.epoch())) {
            events = log.subscribe(0);
        } else {
            events = log.subscribe(Long.parseLong(after));
        }
        HttpServerResponse response = request.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream");
        response.write(""); // send the headers now, as the resource does
        Cancellable subscription = events.subscribe().with(event -> {
            synchronized (response) {
                if (!response.ended()) {
                    response.write("id:" + event.epoch() + ":" + event.offset() + "\nevent:" + event.type()
                            + "\ndata:" + write(event) + "\n\n");
                }
            }
        }, failure -> response.end());
        response.closeHandler(v -> subscription.cancel());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
