package dev.monkeytown.gateway.proxy;

import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads the start of a request body before the proxy takes one of the service's pooled connections: all of it, when it
 * is small, or the first {@code prefetch} bytes, which show that the rest is flowing. A client that sends neither
 * within the body timeout is refused without ever having touched the service — a pool of 64 connections would
 * otherwise belong to the first 64 clients that send a header and then trickle.
 */
final class BodyStart {

    /** How reading the start ended; reported once, on the request's event loop. */
    sealed interface Outcome {
    }

    /** The client sent the whole body: nothing more to read. */
    record Complete(Buffer body) implements Outcome {
    }

    /** The first bytes arrived and the request is paused with the rest unread. */
    record Flowing(Buffer start) implements Outcome {
    }

    /** The reason this body goes no further. */
    record Refused(ClientFault fault) implements Outcome {
    }

    private BodyStart() {
    }

    /**
     * @param limit the body limit; a body past it is refused at once
     * @param prefetch bytes that count as "flowing"
     * @param timeoutMillis how long the client has to send them (or the whole body)
     */
    static void read(Vertx vertx, HttpServerRequest request, long limit, int prefetch, long timeoutMillis,
            Consumer<Outcome> then) {
        Buffer start = Buffer.buffer();
        boolean[] done = {false};
        long[] timer = {-1};
        Consumer<Outcome> once = outcome -> {
            if (!done[0]) {
                done[0] = true;
                vertx.cancelTimer(timer[0]);
                then.accept(outcome);
            }
        };
        timer[0] = vertx.setTimer(timeoutMillis, id -> once.accept(new Refused(new ClientFault.TooSlow())));
        request.handler(chunk -> {
            if (done[0]) {
                return;
            }
            start.appendBuffer(chunk);
            if (start.length() > limit) {
                request.pause();
                once.accept(new Refused(new ClientFault.TooLarge()));
            } else if (start.length() >= prefetch) {
                request.pause();
                request.handler(null);
                once.accept(new Flowing(start));
            }
        });
        request.exceptionHandler(failure -> once.accept(new Refused(new ClientFault.Gone(failure))));
        request.endHandler(end -> once.accept(new Complete(start)));
        request.resume();
    }
}
