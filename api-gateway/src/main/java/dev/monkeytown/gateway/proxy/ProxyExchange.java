package dev.monkeytown.gateway.proxy;

import java.util.Map;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.micrometer.core.instrument.Counter;
import io.quarkus.logging.Log;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.classify.RegistryCall;
import dev.monkeytown.gateway.guard.BodyLimit;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.pipeline.Principal;

/**
 * One request forwarded to its service and the answer streamed back. The body's start is read first
 * ({@link BodyStart}): a pooled connection to the service is taken only for a body that is complete or flowing. The rest
 * of a large body is piped with back-pressure (a chunk is read from one side only when the other can take it), so a
 * 500 MB upload holds a few buffers, never the body, and must keep up a minimum rate ({@link BodyPace}).
 * <p>
 * The connection is taken first; the exchange on it, up to the response head, runs inside the route's circuit breaker
 * ({@link RouteGuards}), so a full pool is no outcome of the service's. The head must come within the response timeout
 * once the request is fully sent; a response body that stalls for the idle timeout is cut off. Whatever the client does
 * wrong ends as a {@link ClientFault}, which the breaker never counts against the service. All callbacks run on the
 * request's event loop.
 */
final class ProxyExchange {

    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final ServiceClients.Target target;
    private final RouteGuards.RouteGuard breaker;
    private final ProxyConfig config;
    private final String internalToken;
    private final Counter bodiesAwaited;
    /** The request's event loop, which owns every field below. */
    private final Context context;

    private Promise<HttpClientResponse> answered;
    private HttpClientRequest downstream;
    private BodyPace pace;
    private boolean headReceived;
    /** The client is not reading the response: the relay paused the service's side for it. */
    private boolean clientHoldsBack;
    private boolean finished;
    private long idleTimer = -1;
    private long lastActivity;

    ProxyExchange(RoutingContext ctx, ServiceClients.Target target, RouteGuards.RouteGuard breaker, ProxyConfig config,
            String internalToken, Counter bodiesAwaited) {
        this.ctx = ctx;
        this.request = ctx.request();
        this.target = target;
        this.breaker = breaker;
        this.config = config;
        this.internalToken = internalToken;
        this.bodiesAwaited = bodiesAwaited;
        this.context = ctx.vertx().getOrCreateContext();
    }

    void start() {
        ctx.response().closeHandler(v -> clientGone());
        if (!hasBody(request)) {
            request.pause();
            forward(null, true);
            return;
        }
        bodiesAwaited.increment();
        BodyStart.read(ctx.vertx(), request, limit(), (int) config.bodyPrefetch().asLongValue(),
                config.bodyTimeout().toMillis(), outcome -> {
                    if (finished) {
                        return;
                    }
                    if (outcome instanceof BodyStart.Complete complete) {
                        forward(complete.body(), true);
                    } else if (outcome instanceof BodyStart.Flowing flowing) {
                        forward(flowing.start(), false);
                    } else {
                        refuse(((BodyStart.Refused) outcome).fault());
                    }
                });
    }

    /**
     * Takes a connection, then runs the exchange inside the route's breaker. The connection is taken first, outside the
     * breaker: a full pool is the gateway's own overload, so it must count neither as the service's failure (clients
     * downloading slowly would open the breaker of a healthy service) nor as its success (requests queued behind a hung
     * service would keep its breaker closed for ever). A TCP connect that fails is the service's failure and is handed
     * to the breaker as the exchange's outcome.
     */
    private void forward(Buffer start, boolean complete) {
        if (breaker.refusesNow()) {
            // the breaker would refuse: spare the service a connection it would not get to use
            refuseOpenBreaker();
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.uri(request.path(), request.query()))
                .setHeaders(ForwardedHeaders.toService(request, Principal.of(ctx), internalToken, false))
                // Vert.x's deadline for a connection, pooled or new; a new one's TCP connect has its own, shorter
                // connect-timeout (the service's fault), so expiring this one means the pool had nothing free
                .setConnectTimeout(config.poolWaitTimeout().toMillis() + config.connectTimeout().toMillis());
        target.client().request(options).onComplete(connected -> {
            if (connected.succeeded()) {
                downstream = connected.result();
                // failures surface through the response future and the pipe; this keeps a reset from logging as an
                // error
                downstream.exceptionHandler(e -> Log.debugf("request to %s: %s", target.service(), e));
            }
            if (finished) { // the client left while its body was read or a connection was found
                if (downstream != null) {
                    downstream.reset();
                }
                return;
            }
            if (connected.failed() && GatewayBusy.is(connected.cause())) {
                busy(connected.cause());
                return;
            }
            breaker.exchange(() -> exchange(connected, start, complete)).onComplete(this::onHead);
        });
    }

    /** Sends on the connection taken, and completes with the response head; every way it ends completes it once. */
    private Future<HttpClientResponse> exchange(AsyncResult<HttpClientRequest> connected, Buffer start,
            boolean complete) {
        answered = Promise.promise();
        if (connected.failed()) {
            answered.fail(connected.cause()); // refused, or no TCP connection within connect-timeout
            return answered.future();
        }
        // early too: a service may answer (and stop reading) before the upload is done
        downstream.response().onComplete(head -> {
            if (head.succeeded()) {
                // the guard hands the head on asynchronously: hold the body until the relay is there to take it
                head.result().pause();
                answered.tryComplete(head.result());
            } else {
                answered.tryFail(head.cause());
            }
        });
        if (complete) {
            if (start == null) {
                downstream.end();
            } else {
                downstream.end(start);
            }
            awaitHead();
        } else {
            streamRest(start);
        }
        return answered.future();
    }

    private void streamRest(Buffer start) {
        if (!downstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            downstream.setChunked(true);
        }
        downstream.write(start);
        long window = config.bodyTimeout().toMillis();
        pace = new BodyPace(ctx.vertx(), window, config.minBodyRate().asLongValue() * window / 1000,
                config.idleTimeout().toMillis(), new BodyPace.Verdicts() {
                    @Override
                    public void clientTooSlow() {
                        failUpload(new ClientFault.TooSlow());
                    }

                    @Override
                    public void serviceStalled() {
                        Log.warnf("%s %s: %s stopped reading the body for %d ms", request.method(), request.path(),
                                target.service(), config.idleTimeout().toMillis());
                        failUpload(new DownstreamFailure.NoAnswer(config.idleTimeout().toMillis()));
                    }
                });
        MeteredBody rest = new MeteredBody(request, limit() - start.length(), pace, ClientFault.Gone::new);
        rest.pipe().endOnFailure(false).to(downstream).onComplete(sent -> {
            pace.stop();
            if (sent.succeeded()) {
                awaitHead();
            } else {
                failUpload(sent.cause());
            }
        });
        pace.start();
    }

    private void awaitHead() {
        long millis = (Classification.of(ctx).registryCall() == RegistryCall.BLOB_UPLOAD
                ? config.blobResponseTimeout()
                : config.responseTimeout()).toMillis();
        long timer = context.owner().setTimer(millis, id -> answered.tryFail(new DownstreamFailure.NoAnswer(millis)));
        downstream.response().onComplete(head -> context.owner().cancelTimer(timer));
    }

    /** The upload cannot go on; the client's faults and the service's alike end the exchange before any head. */
    private void failUpload(Throwable cause) {
        if (pace != null) {
            pace.stop();
        }
        if (headReceived || !answered.tryFail(cause)) {
            return; // the service answered early and stopped reading; its answer is on its way to the client
        }
        downstream.reset();
    }

    private void onHead(AsyncResult<HttpClientResponse> head) {
        if (finished) {
            if (head.succeeded()) {
                downstream.reset(); // nobody left to relay it to
            }
            return;
        }
        if (head.failed()) {
            failBeforeHead(head.cause());
            return;
        }
        headReceived = true;
        HttpClientResponse response = head.result();
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
        touch();
        armIdleTimer();
        new MeteredBody(response, Long.MAX_VALUE, new MeteredBody.Watcher() {
            @Override
            public void bytes(int count) {
                touch();
            }

            @Override
            public void heldBack() {
                clientHoldsBack = true;
            }

            @Override
            public void released() {
                clientHoldsBack = false;
            }
        }, failure -> failure).pipe().endOnFailure(false)
                .to(toClient).onComplete(relayed -> {
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

    private void failBeforeHead(Throwable cause) {
        finish();
        if (downstream != null) {
            downstream.reset();
        }
        if (cause instanceof ClientFault fault) {
            refuse(fault);
            return;
        }
        if (cause instanceof CircuitBreakerOpenException) {
            refuseOpenBreaker();
            return;
        }
        DownstreamFailure answer = DownstreamFailure.classify(target.service(), cause,
                config.connectTimeout().toMillis());
        Log.warnf("%s %s: %s answered %d (%s)", request.method(), request.path(), target.service(), answer.status(),
                cause.toString());
        GatewayProblems.send(ctx, answer.status(), answer.detail(), Map.of());
    }

    /** Every pooled connection to the service stayed in use for as long as a request may wait: 503, never counted. */
    private void busy(Throwable cause) {
        finish();
        Log.debugf("%s %s: no free connection to %s: %s", request.method(), request.path(), target.service(), cause);
        GatewayProblems.send(ctx, 503, "The gateway is busy: every connection to " + target.service()
                + " is in use. Retry after 1 s.", Map.of("Retry-After", "1"));
    }

    private void refuseOpenBreaker() {
        finish();
        long seconds = Math.max(1, (breaker.retryAfter().toMillis() + 999) / 1000);
        GatewayProblems.send(ctx, 503, target.service() + " is failing; the gateway stopped forwarding "
                + request.path() + " for now. Retry after " + seconds + " s.",
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /** The client's fault, answered if it is still there; the rest of its body is never read. */
    private void refuse(ClientFault fault) {
        finish();
        if (fault instanceof ClientFault.TooSlow) {
            GatewayProblems.send(ctx, 408, "The request body arrived too slowly: send its first "
                    + config.bodyPrefetch().asLongValue() + " bytes (or all of it) within "
                    + config.bodyTimeout().toSeconds() + " s and then at least " + config.minBodyRate().asLongValue()
                    + " bytes a second.", Map.of());
        } else if (fault instanceof ClientFault.TooLarge) {
            String detail = BodyLimit.of(ctx).map(BodyLimit::refusal).orElse("The request body is too large.");
            GatewayProblems.send(ctx, 413, detail, Map.of());
        }
        // ClientFault.Gone: nobody to answer
    }

    private void clientGone() {
        if (finished) {
            return;
        }
        finish();
        if (answered != null) {
            answered.tryFail(new ClientFault.Gone(null));
        }
        if (pace != null) {
            pace.stop();
        }
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
            if (System.nanoTime() - lastActivity < idleNanos) {
                armIdleTimer();
                return;
            }
            if (clientHoldsBack) {
                // the service's bytes wait for the client: not the service's fault, and nothing an operator must fix
                Log.debugf("%s %s: the client read none of %s's response for %d ms, abandoning the exchange",
                        request.method(), request.path(), target.service(), config.idleTimeout().toMillis());
            } else {
                Log.warnf("%s %s: no response bytes from %s for %d ms, abandoning the exchange", request.method(),
                        request.path(), target.service(), config.idleTimeout().toMillis());
            }
            finish();
            downstream.reset();
            ctx.response().reset();
        });
    }

    private void finish() {
        finished = true;
        if (idleTimer >= 0) {
            ctx.vertx().cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    private long limit() {
        return BodyLimit.of(ctx).map(BodyLimit::maxBytes).orElse(Long.MAX_VALUE);
    }

    static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
}
