package dev.monkeytown.gateway.pipeline;

import java.time.Duration;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * What happens to a request body nobody will read, when the gateway answers before it has read it all. The connection
 * cannot be kept alive — the unread bytes would be parsed as the next request, or, paused, would block it — but closing
 * it at once, with bytes still arriving, resets it, and the client would see the reset instead of the answer. So the
 * rest is read and dropped for a bounded time, then the connection closes (a lingering close; an HTTP/2 stream just
 * ends).
 */
final class UnreadBody {

    static final Duration LINGER = Duration.ofSeconds(5);

    private UnreadBody() {
    }

    /**
     * Starts dropping what is left of the request body, if anything is; true when the connection must close after the
     * answer. A request without a body (most refused ones) keeps its connection: nothing is left unread on it.
     */
    static boolean discard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || !declaresBody(request)) {
            return false;
        }
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        Runnable close = () -> {
            if (!http2) {
                request.connection().close();
            }
        };
        long linger = ctx.vertx().setTimer(LINGER.toMillis(), timer -> close.run());
        request.handler(dropped -> {
        });
        request.exceptionHandler(failure -> ctx.vertx().cancelTimer(linger));
        request.endHandler(end -> {
            ctx.vertx().cancelTimer(linger);
            close.run();
        });
        request.resume();
        return !http2;
    }

    private static boolean declaresBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
}
