package dev.monkeytown.gateway.webhooks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads the bodies of deliveries whose signature is not checked yet: bytes anybody may send, and which must be held
 * whole before the HMAC can say whether they are GitHub's. So each is capped ({@code max-body}), all of them together
 * share one budget ({@code max-buffered}: a declared length is reserved before the first byte is read, a chunked body
 * reserves as it arrives), and each must arrive within the body timeout. Without the budget a thousand anonymous
 * 25 MB bodies would be 25 GB; without the deadline one client trickling a body would hold its share forever.
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

    /** The budget has no room for it now. */
    record Busy() implements Outcome {
    }

    /** Not complete within the body timeout. */
    record TooSlow() implements Outcome {
    }

    /** The client went away. */
    record Aborted() implements Outcome {
    }

    private final long maxBody;
    private final long maxBuffered;
    private final Duration timeout;
    private final AtomicLong held = new AtomicLong();

    UnverifiedBodies(long maxBody, long maxBuffered, Duration timeout) {
        this.maxBody = maxBody;
        this.maxBuffered = maxBuffered;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** Bytes reserved by bodies being read or verified right now. */
    long held() {
        return held.get();
    }

    /**
     * Reads {@code request}'s body and reports once, on the request's event loop. A declared length above
     * {@code max-body} must have been refused already.
     */
    void read(Vertx vertx, HttpServerRequest request, Consumer<Outcome> then) {
        Reservation reservation = new Reservation();
        long declared = declaredLength(request);
        if (declared >= 0 && !reservation.grow(declared)) {
            then.accept(new Busy());
            return;
        }
        Buffer body = Buffer.buffer((int) Math.max(0, Math.min(declared, 64 * 1024)));
        boolean[] done = {false};
        Consumer<Outcome> once = outcome -> {
            if (!done[0]) {
                done[0] = true;
                if (!(outcome instanceof Received)) {
                    reservation.release();
                }
                then.accept(outcome);
            }
        };
        long deadline = vertx.setTimer(timeout.toMillis(), id -> once.accept(new TooSlow()));
        request.handler(chunk -> {
            if (done[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBody) {
                vertx.cancelTimer(deadline);
                once.accept(new TooLarge());
            } else if (declared < 0 && !reservation.grow(chunk.length())) {
                vertx.cancelTimer(deadline);
                once.accept(new Busy());
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(failure -> {
            vertx.cancelTimer(deadline);
            once.accept(new Aborted());
        });
        request.endHandler(end -> {
            vertx.cancelTimer(deadline);
            once.accept(new Received(body, reservation));
        });
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException malformed) {
            return -1; // Vert.x refuses a malformed length before us; if not, the body is counted as it comes
        }
    }

    /** One body's share of the budget; released once, however often asked. */
    final class Reservation {

        private long bytes;
        private boolean released;

        private boolean grow(long more) {
            while (true) {
                long now = held.get();
                if (now + more > maxBuffered) {
                    return false;
                }
                if (held.compareAndSet(now, now + more)) {
                    bytes += more;
                    return true;
                }
            }
        }

        void release() {
            if (!released) {
                released = true;
                held.addAndGet(-bytes);
            }
        }
    }
}
