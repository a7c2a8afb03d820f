package dev.monkeytown.gateway.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Refusals sent while (part of) the request body is still unread. The connection cannot be kept alive — the unread
 * bytes would be parsed as the next request — but closing it at once, with bytes still arriving, resets it, and the
 * client would see the reset instead of the answer. So the rest is read and dropped for a bounded time, then the
 * connection closes (a lingering close; an HTTP/2 stream just ends).
 */
public final class UnreadBody {

    static final Duration LINGER = Duration.ofSeconds(5);

    private UnreadBody() {
    }

    public static void refuse(RoutingContext ctx, int status, String detail, Map<String, String> headers) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || !declaresBody(request)) {
            GatewayProblems.send(ctx, status, detail, headers);
            return;
        }
        Runnable close = () -> {
            if (request.version() != HttpVersion.HTTP_2) {
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
        Map<String, String> closing = new HashMap<>(headers);
        closing.put("Connection", "close");
        GatewayProblems.send(ctx, status, detail, closing);
    }

    /** A request without a body (most refused ones) keeps its connection: nothing is left unread on it. */
    private static boolean declaresBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
}
