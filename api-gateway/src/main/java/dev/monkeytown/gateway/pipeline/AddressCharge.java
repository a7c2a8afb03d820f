package dev.monkeytown.gateway.pipeline;

import java.util.Optional;

import io.vertx.ext.web.RoutingContext;

/**
 * The token a request took from its client address's bucket, which a later stage gives back once the request proved
 * to come from somebody who must not be limited by address: a webhook delivery whose signature verified (GitHub sends
 * every repository's deliveries from a few shared addresses).
 */
public interface AddressCharge {

    String KEY = "monkeytown.address-charge";

    /** Puts the token back; at most once, and never above the bucket's capacity. */
    void giveBack();

    default void attachTo(RoutingContext ctx) {
        ctx.put(KEY, this);
    }

    static Optional<AddressCharge> of(RoutingContext ctx) {
        return Optional.ofNullable(ctx.get(KEY));
    }
}
