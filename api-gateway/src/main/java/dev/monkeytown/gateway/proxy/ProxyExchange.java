package dev.monkeytown.gateway.proxy;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.logging.Log;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.guard.BodyLimit;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.pipeline.Principal;

/**
 * One request forwarded to its service and the answer streamed back. Both bodies are piped with back-pressure (a chunk
 * is read from one side only when the other can take it), so a 500 MB upload holds a few buffers, never the body.
 * <p>
 * Timers: the response head must come within the response timeout after the request is fully sent; while a body moves
 * (either way) the idle timeout applies between chunks. All callbacks run on the request's event loop.
 */
final class ProxyExchange {

    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final ServiceClients.Target target;
    private final CircuitBreaker breaker;
    private final ProxyConfig config;
    private final String internalToken;

    private HttpClientRequest downstream;
    private MeteredBody upload;
    private boolean awaitingHead;
    private boolean headReceived;
    private boolean finished;
    private long headTimer = -1;
    private long idleTimer = -1;
    private long lastActivity = System.nanoTime();

    ProxyExchange(RoutingContext ctx, ServiceClients.Target target, CircuitBreaker breaker, ProxyConfig config,
            String internalToken) {
        this.ctx = ctx;
        this.request = ctx.request();
        this.target = target;
        this.breaker = breaker;
        this.config = config;
        this.internalToken = internalToken;
    }

    void start() {
        Pipe<Buffer> pipe = null;
        if (hasBody(request)) {
            long limit = BodyLimit.of(ctx).map(BodyLimit::maxBytes).orElse(Long.MAX_VALUE);
            upload = new MeteredBody(request, limit, this::touch);
            pipe = upload.pipe().endOnFailure(false); // pauses the request until the service connection is there
        } else {
            request.pause();
        }
        ctx.response().closeHandler(v -> clientGone());
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.uri(request.path(), request.query()))
                .setHeaders(ForwardedHeaders.toService(request, Principal.of(ctx), internalToken, false))
                .setConnectTimeout(config.connectTimeout().toMillis());
        Pipe<Buffer> body = pipe;
        target.client().request(options).onComplete(connected -> {
            if (connected.failed()) {
                if (body != null) {
                    body.close();
                }
                failBeforeHead(connected.cause());
                return;
            }
            downstream = connected.result();
            // failures surface through the response future and the pipe; this keeps a reset from logging as an error
            downstream.exceptionHandler(e -> Log.debugf("request to %s: %s", target.service(), e));
            if (finished) { // the client left while we connected
                downstream.reset();
                return;
            }
            downstream.response().onComplete(this::onResponseHead);
            armIdleTimer();
            if (body == null) {
                downstream.end();
                awaitHead();
            } else {
                if (!downstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                    downstream.setChunked(true);
                }
                body.to(downstream).onComplete(sent -> {
                    if (sent.succeeded()) {
                        awaitHead();
                    } else {
                        onUploadFailure(sent.cause());
                    }
                });
            }
        });
    }

    private void awaitHead() {
        if (finished || headReceived) {
            return;
        }
        awaitingHead = true;
        long millis = config.responseTimeout().toMillis();
        headTimer = ctx.vertx().setTimer(millis, id -> {
            headTimer = -1;
            if (awaitingHead && !finished) {
                failBeforeHead(new DownstreamFailure.NoAnswer(millis));
            }
        });
    }

    private void onResponseHead(AsyncResult<HttpClientResponse> answered) {
        if (finished) {
            return;
        }
        if (answered.failed()) {
            failBeforeHead(answered.cause());
            return;
        }
        headReceived = true;
        awaitingHead = false;
        cancel(headTimer);
        breaker.onSuccess();
        HttpClientResponse response = answered.result();
        HttpServerResponse toClient = ctx.response();
        toClient.setStatusCode(response.statusCode());
        if (response.statusMessage() != null) {
            toClient.setStatusMessage(response.statusMessage());
        }
        ForwardedHeaders.copyToClient(response.headers(), toClient.headers(), false);
        if (!toClient.headers().contains(HttpHeaders.CONTENT_LENGTH) && request.version() != HttpVersion.HTTP_1_0
                && request.method() != HttpMethod.HEAD && response.statusCode() != 204
                && response.statusCode() != 304) {
            toClient.setChunked(true);
        }
        new MeteredBody(response, Long.MAX_VALUE, this::touch).pipe().endOnFailure(false).to(toClient)
                .onComplete(relayed -> {
                    if (relayed.failed() && !finished) {
                        // the head is out: a truncated body must not look complete, so the client's connection ends
                        Log.debugf("response body from %s broke off: %s", target.service(), relayed.cause());
                        finish();
                        toClient.reset();
                        downstream.reset();
                    }
                    finish();
                });
    }

    private void onUploadFailure(Throwable cause) {
        if (finished) {
            return;
        }
        if (cause instanceof MeteredBody.BodyTooLarge) {
            finish(); // first: the reset fails the pending response, which must not turn into a 502
            downstream.reset();
            String detail = BodyLimit.of(ctx).map(BodyLimit::refusal).orElse("The request body is too large.");
            GatewayProblems.send(ctx, 413, detail, Map.of("Connection", "close"));
            return;
        }
        if (headReceived) {
            return; // the service answered early and stopped reading; its answer is on its way to the client
        }
        // the client broke off its upload (or the service connection broke; the head future reports that)
        Log.debugf("upload to %s broke off: %s", target.service(), cause);
        if (!request.isEnded()) {
            finish();
            downstream.reset();
            ctx.response().reset();
        }
    }

    private void failBeforeHead(Throwable cause) {
        if (finished) {
            return;
        }
        finish();
        if (downstream != null) {
            downstream.reset();
        }
        breaker.onFailure();
        DownstreamFailure failure = DownstreamFailure.classify(target.service(), cause,
                config.connectTimeout().toMillis());
        Log.warnf("%s %s: %s answered %d (%s)", request.method(), request.path(), target.service(), failure.status(),
                cause.toString());
        Map<String, String> headers = new HashMap<>();
        if (!request.isEnded()) {
            headers.put("Connection", "close"); // the unread rest of the body cannot stay on a kept-alive connection
        }
        GatewayProblems.send(ctx, failure.status(), failure.detail(), headers);
    }

    private void clientGone() {
        if (finished) {
            return;
        }
        finish();
        if (downstream != null) {
            downstream.reset();
        }
    }

    private void touch() {
        lastActivity = System.nanoTime();
    }

    /** Re-arms itself for the remaining idle time, so a busy transfer costs one timer per idle period, not per chunk. */
    private void armIdleTimer() {
        long idleNanos = config.idleTimeout().toNanos();
        long remaining = Math.max(1, (lastActivity + idleNanos - System.nanoTime()) / 1_000_000);
        idleTimer = ctx.vertx().setTimer(remaining, id -> {
            idleTimer = -1;
            if (finished) {
                return;
            }
            if (awaitingHead || System.nanoTime() - lastActivity < idleNanos) {
                armIdleTimer(); // waiting for the head is the response timeout's business
                return;
            }
            Log.warnf("%s %s: no body bytes moved for %d ms, abandoning the exchange with %s", request.method(),
                    request.path(), config.idleTimeout().toMillis(), target.service());
            if (!headReceived) {
                failBeforeHead(new DownstreamFailure.NoAnswer(config.idleTimeout().toMillis()));
            } else {
                finish();
                downstream.reset();
                ctx.response().reset();
            }
        });
    }

    private void finish() {
        finished = true;
        cancel(headTimer);
        cancel(idleTimer);
    }

    private void cancel(long timer) {
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
        }
    }

    static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
}
