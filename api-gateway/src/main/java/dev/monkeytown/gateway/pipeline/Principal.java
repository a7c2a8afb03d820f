package dev.monkeytown.gateway.pipeline;

import java.util.Objects;

import io.vertx.ext.web.RoutingContext;

/** Who is calling, as authentication found out; stored on the routing context for the handlers after it. */
public record Principal(String user, Role role) {

    public static final Principal ANONYMOUS = new Principal("anonymous", Role.ANONYMOUS);
    private static final String KEY = "monkeytown.principal";

    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
    }

    public boolean isAnonymous() {
        return role == Role.ANONYMOUS;
    }

    public void attachTo(RoutingContext ctx) {
        ctx.put(KEY, this);
    }

    /** The caller of this request; anonymous when authentication has not run or found no token. */
    public static Principal of(RoutingContext ctx) {
        Principal principal = ctx.get(KEY);
        return principal == null ? ANONYMOUS : principal;
    }
}
