package dev.monkeytown.events.client;

import java.net.URI;
import java.util.Objects;

import org.jboss.logging.Logger.Level;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

import dev.monkeytown.events.Gap;
import dev.monkeytown.kit.security.InternalToken;

/**
 * Follows one producer's {@code GET /internal/events} stream for as long as it is open, reconnecting with back-off and
 * resuming after the last delivered {@code (epoch, offset)}, so the listener sees every event once, in order, or a
 * {@link Gap} where it cannot.
 *
 * <p>
 * Everything (I/O callbacks, timers, listener calls) runs on one Vert.x event-loop context taken when the client is
 * built, so the state below needs no locks; {@link #close()} and {@link #start} hop onto that context.
 */
public final class EventStreamClient implements AutoCloseable {

    static final String TOKEN_HEADER = InternalToken.HEADER;

    private final Vertx vertx;
    private final Context context;
    private final HttpClient http;
    private final ProducerEndpoint producer;
    private final URI base;
    private final EventStreamListener listener;
    private final EventStreamSettings settings;
    private final ObjectMapper json;
    private final Backoff backoff;
    private final StreamDispatcher dispatcher;

    private volatile boolean closed;
    private volatile boolean started;
    // the rest is touched only on the context
    private long attempt; // bumped whenever a connection attempt ends, so callbacks of an older one are ignored
    private HttpClientRequest request;
    private volatile boolean connected;
    private long lastBytesNanos;
    private long timer = -1;
    private boolean tokenRejectionLogged;
    private boolean failureLogged; // since the last open stream, so a producer that stays down is logged once

    public EventStreamClient(Vertx vertx, String baseUrl, String token, EventStreamListener listener) {
        this(vertx, baseUrl, token, listener, EventStreamSettings.defaults(),
                new ObjectMapper().findAndRegisterModules());
    }

    /** @param json reads the events' JSON; needs the Java time module (Quarkus' ObjectMapper has it) */
    public EventStreamClient(Vertx vertx, String baseUrl, String token, EventStreamListener listener,
            EventStreamSettings settings, ObjectMapper json) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.base = URI.create(Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", ""));
        this.listener = Objects.requireNonNull(listener, "listener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.context = vertx.getOrCreateContext();
        if (!context.isEventLoopContext()) {
            // on a worker context the listener would hop between threads; build the client from startup code or an
            // event loop instead
            throw new IllegalStateException("build an EventStreamClient outside worker threads (here: "
                    + Thread.currentThread().getName() + ")");
        }
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setMaxPoolSize(2));
        this.backoff = new Backoff(settings.initialBackoff().toMillis(), settings.maxBackoff().toMillis());
        this.dispatcher = new StreamDispatcher(listener, this.json);
        this.producer = new ProducerEndpoint(http, base, Objects.requireNonNull(token, "token"), this.json,
                settings.connectTimeout());
    }

    /** Follows only events published from now on. */
    public void start() {
        begin(null);
    }

    /** Follows events after {@code from}; a {@link Gap} comes first if they are gone or the epoch is not current. */
    public void start(StreamPosition from) {
        begin(Objects.requireNonNull(from, "from"));
    }

    /** The last event delivered, or the starting point; null until known. Readable from any thread. */
    public StreamPosition position() {
        return dispatcher.position();
    }

    /** Whether a stream is open right now (for a readiness check). */
    public boolean isConnected() {
        return connected;
    }

    /** Stops for good: the open stream is dropped, no reconnect follows and the listener hears nothing more. */
    @Override
    public void close() {
        closed = true;
        context.runOnContext(v -> {
            endAttempt();
            http.close();
        });
    }

    private void begin(StreamPosition from) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        context.runOnContext(v -> {
            dispatcher.resumeFrom(from);
            connect();
        });
    }

    private void connect() {
        if (closed) {
            return;
        }
        long current = ++attempt;
        if (dispatcher.position() == null) {
            // ask where the log stands first, so even the first stream has a position to resume from
            fetchHead(current);
        } else {
            openStream(current);
        }
    }

    private void fetchHead(long current) {
        producer.head().onComplete(result -> {
            if (current != attempt || closed) {
                return;
            }
            if (result.failed()) {
                failed(current, result.cause());
            } else {
                dispatcher.resumeFrom(new StreamPosition(result.result().epoch(), result.result().offset()));
                openStream(current);
            }
        });
    }

    private void openStream(long current) {
        StreamPosition from = dispatcher.position();
        producer.stream(from).onComplete(result -> {
            if (result.succeeded() && (current != attempt || closed)) {
                result.result().request().reset(); // close() or a newer attempt came first
            } else if (result.failed()) {
                failed(current, result.cause());
            } else {
                request = result.result().request();
                opened(current, result.result(), from);
            }
        });
    }

    private void opened(long current, HttpClientResponse resp, StreamPosition from) {
        connected = true;
        backoff.reset();
        if (failureLogged) {
            Log.infof("Event stream %s open again", base);
        }
        failureLogged = false;
        SseParser parser = new SseParser(settings.maxFrameBytes());
        lastBytesNanos = System.nanoTime();
        watchIdle(current, settings.idleTimeout().toMillis());
        resp.handler(buffer -> {
            if (current != attempt) {
                return;
            }
            lastBytesNanos = System.nanoTime();
            try {
                for (SseFrame frame : parser.feed(buffer.getBytes())) {
                    if (current != attempt || closed) {
                        return; // an earlier frame of this buffer ended the stream, or close() was called
                    }
                    if (!dispatcher.dispatch(frame)) {
                        // the producer cut us off for being slow; nothing was skipped, so come straight back
                        lost(current, new StreamInterruptedException("producer cut the stream off: consumer too slow"),
                                0, Level.DEBUG);
                    }
                }
            } catch (RuntimeException e) {
                // an oversize or unreadable frame: drop the stream and resume from the last event delivered
                lost(current, e, backoff.nextDelayMillis(), Level.INFO);
            }
        });
        resp.exceptionHandler(e -> lost(current, e, backoff.nextDelayMillis(), Level.INFO));
        resp.endHandler(v -> lost(current, new StreamInterruptedException("producer ended the stream"),
                backoff.nextDelayMillis(), Level.INFO));
        Log.debugf("Event stream %s open after %s", base, from);
        safely(() -> listener.onConnected(from.epoch()));
    }

    // Producers send a ": ping" comment on a quiet stream (every 15 s by default); the parser skips it but it counts as
    // bytes here, so only a stream that is really dead (a producer gone without closing the connection) trips this.
    private void watchIdle(long current, long delayMillis) {
        timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            if (current != attempt) {
                return;
            }
            long idleMillis = (System.nanoTime() - lastBytesNanos) / 1_000_000;
            long limit = settings.idleTimeout().toMillis();
            if (idleMillis >= limit) {
                lost(current, new StreamInterruptedException("no bytes for " + idleMillis + " ms"), 0, Level.INFO);
            } else {
                watchIdle(current, limit - idleMillis);
            }
        });
    }

    /** An attempt that never opened a stream. */
    private void failed(long current, Throwable cause) {
        if (current != attempt) {
            return;
        }
        endAttempt();
        long delay;
        if (cause instanceof ProducerRefusedException refused && refused.status() == 401) {
            if (!tokenRejectionLogged) {
                tokenRejectionLogged = true;
                Log.errorf("Event stream %s refuses our internal token (401); retrying slowly until it is fixed", base);
            }
            delay = backoff.slowDelayMillis();
        } else {
            delay = backoff.nextDelayMillis();
            if (failureLogged) {
                Log.debugf("Event stream %s still unavailable (%s); retrying in %d ms", base, cause, delay);
            } else {
                failureLogged = true;
                Log.warnf("Event stream %s unavailable (%s); retrying with back-off", base, cause);
            }
        }
        safely(() -> listener.onUnavailable(cause));
        reconnectIn(delay);
    }

    /**
     * An open stream that ended.
     *
     * @param level DEBUG for the routine case: an overflow, which the producer counts and which loses nothing
     */
    private void lost(long current, Throwable cause, long delayMillis, Level level) {
        if (current != attempt) {
            return;
        }
        endAttempt();
        if (closed) {
            return;
        }
        Log.logf(level, "Event stream %s interrupted (%s); resuming after %s in %d ms", base, cause.getMessage(),
                dispatcher.position(), delayMillis);
        safely(() -> listener.onDisconnected(cause));
        reconnectIn(delayMillis);
    }

    private void endAttempt() {
        attempt++;
        connected = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (request != null) {
            request.reset(); // closes the HTTP/1.1 connection under a stream we no longer read
            request = null;
        }
    }

    private void reconnectIn(long delayMillis) {
        if (closed) {
            return;
        }
        if (delayMillis <= 0) {
            context.runOnContext(v -> connect());
        } else {
            timer = vertx.setTimer(delayMillis, id -> {
                timer = -1;
                connect();
            });
        }
    }

    private void safely(Runnable call) {
        if (closed) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            Log.errorf(e, "Event stream listener failed");
        }
    }
}
