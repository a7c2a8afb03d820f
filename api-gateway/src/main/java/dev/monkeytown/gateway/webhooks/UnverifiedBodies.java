package dev.monkeytown.gateway.webhooks;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads the bodies of deliveries whose signature is not checked yet: bytes anybody may send, and which must be held
 * whole before the HMAC can say whether they are GitHub's. So each is capped ({@code max-body}), all of them together
 * share one budget ({@code max-buffered}), one client address holds at most one {@code max-body} of it, and each body
 * must start within the start timeout and be complete within the body timeout.
 * <p>
 * Bytes are reserved as they arrive, never by a declared {@code Content-Length}: a reservation of the declared length
 * let one address that sent four headers declaring 25 MB, and no body, hold the whole 100 MB budget until the deadline,
 * every 10 s, so that every real GitHub delivery was refused. Now holding budget costs sending the bytes, and one
 * address can take no more than a quarter of it.
 */
final class UnverifiedBodies {

    /** How reading one body ended. */
    sealed interface Outcome {
    }

    /** The whole body; its bytes stay reserved until {@link Reservation#release()}. */
    record Received(Buffer body, Reservation reservation) implements Outcome {
    }

    /** Past {@code max-body}. */
    record TooLarge() implements Outcome {
    }

    /** The budget, or the client address's share of it, has no room for it now. */
    record Busy() implements Outcome {
    }

    /** Not started within the start timeout, or not complete within the body timeout. */
    record TooSlow() implements Outcome {
    }

    /** The client went away. */
    record Aborted() implements Outcome {
    }

    private final long maxBody;
    private final long maxBuffered;
    private final Duration timeout;
    private final Duration startTimeout;
    // guarded by this: reservations come from every event loop, a few per body chunk
    private long held;
    private final Map<String, Long> heldByAddress = new HashMap<>();

    UnverifiedBodies(long maxBody, long maxBuffered, Duration timeout, Duration startTimeout) {
        this.maxBody = maxBody;
        this.maxBuffered = maxBuffered;
        this.timeout = timeout;
        this.startTimeout = startTimeout.compareTo(timeout) < 0 ? startTimeout : timeout;
    }

    Duration timeout() {
        return timeout;
    }

    Duration startTimeout() {
        return startTimeout;
    }

    /** Bytes held by bodies being read or verified right now. */
    synchronized long held() {
        return held;
    }

    /**
     * Reads {@code request}'s body and reports once, on the request's event loop. A declared length above
     * {@code max-body} must have been refused already.
     *
     * @param address the client address as the rate limiter keys it (an IPv6 client by its /64)
     */
    void read(Vertx vertx, HttpServerRequest request, String address, Consumer<Outcome> then) {
        Reservation reservation = new Reservation(address);
        Buffer body = Buffer.buffer();
        boolean[] done = {false};
        long[] timers = {-1, -1};
        Consumer<Outcome> once = outcome -> {
            if (!done[0]) {
                done[0] = true;
                vertx.cancelTimer(timers[0]);
                vertx.cancelTimer(timers[1]);
                if (!(outcome instanceof Received)) {
                    reservation.release();
                }
                then.accept(outcome);
            }
        };
        timers[0] = vertx.setTimer(timeout.toMillis(), id -> once.accept(new TooSlow()));
        timers[1] = vertx.setTimer(startTimeout.toMillis(), id -> once.accept(new TooSlow()));
        request.handler(chunk -> {
            if (done[0]) {
                return;
            }
            vertx.cancelTimer(timers[1]); // it started
            if (body.length() + (long) chunk.length() > maxBody) {
                once.accept(new TooLarge());
            } else if (!reservation.grow(chunk.length())) {
                once.accept(new Busy());
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(failure -> once.accept(new Aborted()));
        request.endHandler(end -> once.accept(new Received(body, reservation)));
    }

    private synchronized boolean reserve(String address, long more) {
        long byAddress = heldByAddress.getOrDefault(address, 0L);
        if (held + more > maxBuffered || byAddress + more > maxBody) {
            return false;
        }
        held += more;
        heldByAddress.put(address, byAddress + more);
        return true;
    }

    private synchronized void free(String address, long bytes) {
        if (bytes == 0) {
            return;
        }
        held -= bytes;
        long left = heldByAddress.getOrDefault(address, 0L) - bytes;
        if (left <= 0) {
            heldByAddress.remove(address); // the map holds only addresses with bytes in flight
        } else {
            heldByAddress.put(address, left);
        }
    }

    /** One body's share of the budget; released once, however often asked. Used on the body's event loop only. */
    final class Reservation {

        private final String address;
        private long bytes;
        private boolean released;

        private Reservation(String address) {
            this.address = address;
        }

        private boolean grow(long more) {
            if (released || !reserve(address, more)) {
                return false;
            }
            bytes += more;
            return true;
        }

        void release() {
            if (!released) {
                released = true;
                free(address, bytes);
            }
        }
    }
}
