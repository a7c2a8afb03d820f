package dev.monkeytown.gateway.proxy;

/**
 * The gateway's own overload: every pooled connection to the service is in use for longer than a request may wait, or
 * too many requests already wait for one. Answered 503 with {@code Retry-After}. Recognised when the connection is
 * taken, before the route's breaker is asked: it says nothing about the service either way — the service may be
 * perfectly well, busy with clients that download slowly or upload at the minimum rate, or hung.
 */
final class GatewayBusy {

    private GatewayBusy() {
    }

    /**
     * Vert.x fails a request that found no pooled connection within its connect timeout with a
     * {@code NoStackTraceTimeoutException} "... exceeded when getting a connection", and one that found the wait queue
     * full with {@code ConnectionPoolTooBusyException}. A TCP connect that takes too long is netty's
     * {@code ConnectTimeoutException} instead (the service's fault); the acquire deadline is longer than the TCP
     * connect timeout, so that one is always seen first.
     */
    static boolean is(Throwable failure) {
        return failure instanceof io.vertx.core.http.ConnectionPoolTooBusyException
                || (failure instanceof io.vertx.core.impl.NoStackTraceTimeoutException
                        && failure.getMessage() != null && failure.getMessage().contains("getting a connection"));
    }
}
