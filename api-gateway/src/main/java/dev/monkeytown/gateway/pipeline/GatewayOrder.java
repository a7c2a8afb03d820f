package dev.monkeytown.gateway.pipeline;

/**
 * The order of the gateway's Vert.x route handlers on the public surface. Each concern installs its handler with
 * {@code router.route(...).order(GatewayOrder.X)} and calls {@code ctx.next()} to pass the request on, or ends it with a
 * problem. Negative orders run before Quarkus' own routes (REST resources, {@code /q}); the request-id route of the
 * service kit runs before all of these.
 */
public final class GatewayOrder {

    /** Refuses malformed paths (traversal, encoded separators) and unknown {@code /api/v1} routes. */
    public static final int PATH_GUARD = -90;
    /** Resolves the bearer token to a {@link Principal}, or anonymous; 401 for a token that is wrong. */
    public static final int AUTHENTICATION = -80;
    /** Token buckets: global, per client IP (anonymous) or per user (authenticated); 429 when empty. */
    public static final int RATE_LIMIT = -70;
    /** The role the route needs; 401 for anonymous, 403 for a role too low. */
    public static final int AUTHORIZATION = -60;
    /** Body size and content-type checks (413, 415). */
    public static final int REQUEST_LIMITS = -55;
    /** {@code POST /api/v1/webhooks/github}: answered by the gateway itself. */
    public static final int WEBHOOKS = -50;
    /** The streaming proxy to the owning service, and {@code /ws}. */
    public static final int PROXY = -40;

    private GatewayOrder() {
    }
}
