package dev.monkeytown.gateway.pipeline;

import java.util.List;
import java.util.Objects;

import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling, as authentication found out; stored on the routing context for the handlers after it.
 *
 * @param repositories the repository globs the caller's token is limited to ({@code builds/**}); empty: every
 *        repository. Forwarded as {@code X-Monkeytown-Scope}; artifact-service enforces it.
 */
public record Principal(String user, Role role, List<String> repositories) {

    public static final Principal ANONYMOUS = new Principal("anonymous", Role.ANONYMOUS);
    private static final String KEY = "monkeytown.principal";

    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        repositories = List.copyOf(repositories);
    }

    /** An unscoped caller. */
    public Principal(String user, Role role) {
        this(user, role, List.of());
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
