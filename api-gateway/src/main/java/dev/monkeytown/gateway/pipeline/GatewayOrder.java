package dev.monkeytown.gateway.pipeline;

/**
 * The order of the gateway's Vert.x route handlers on the public surface. Each concern installs its handler with
 * {@code router.route().order(GatewayOrder.X)} on every path, reads the request's {@code classify.Classification}
 * to see whether it concerns it, and calls {@code ctx.next()} to pass the request on, or ends it with a problem.
 * Negative orders run before Quarkus' own routes (REST resources); the request-id route of the service kit runs before
 * all of these.
 */
public final class GatewayOrder {

    /** Decides once what the request is (destination, access, decoded path, client address); refuses nothing. */
    public static final int CLASSIFY = -95;
    /** Resolves the bearer token to a {@link Principal}, or anonymous; a wrong token is refused at authorization. */
    public static final int AUTHENTICATION = -80;
    /** Token buckets: global, per client IP (anonymous) or per user (authenticated); 429 when empty. Counts every request. */
    public static final int RATE_LIMIT = -70;
    /** Refuses malformed requests (400) and paths nothing on the public port answers (404), once they were counted. */
    public static final int PATH_GUARD = -65;
    /** The role the request's access needs; 401 for anonymous, 403 for a role too low. */
    public static final int AUTHORIZATION = -60;
    /** Body size and content-type checks (413, 415). */
    public static final int REQUEST_LIMITS = -55;
    /** {@code POST /api/v1/webhooks/github}: answered by the gateway itself. */
    public static final int WEBHOOKS = -50;
    /** The streaming proxy to the owning service, {@code /ws}, and the public API document. */
    public static final int PROXY = -40;

    private GatewayOrder() {
    }
}
