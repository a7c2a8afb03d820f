package dev.monkeytown.gateway.guard;

import java.util.Optional;

import io.vertx.ext.web.RoutingContext;

/**
 * The most bytes a request body may carry, decided up front by {@link RequestLimitsRoute} and enforced while the body
 * streams by whoever reads it (the proxy): a chunked body has no length to check in advance.
 *
 * @param maxBytes the limit, inclusive
 * @param kind what the body is, for the refusal's message ("JSON body", "artifact upload")
 */
public record BodyLimit(long maxBytes, String kind) {

    private static final String KEY = "monkeytown.body-limit";

    public void attachTo(RoutingContext ctx) {
        ctx.put(KEY, this);
    }

    public static Optional<BodyLimit> of(RoutingContext ctx) {
        return Optional.ofNullable(ctx.get(KEY));
    }

    /** The 413 detail a client can act on. */
    public String refusal() {
        return "The " + kind + " exceeds the limit of " + maxBytes + " bytes.";
    }
}
