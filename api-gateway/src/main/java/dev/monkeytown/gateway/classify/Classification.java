package dev.monkeytown.gateway.classify;

import java.util.Optional;

import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.ErrorDialect;

/**
 * What a request is, decided once when it arrives ({@link ClassifyRoute}) and read by every stage after: none of them
 * looks at the path, the method or the client's address again, so no two of them can disagree about a request.
 *
 * @param destination who answers it
 * @param route the service route, for {@link Destination#API} only (null otherwise)
 * @param access what it asks to do, which decides the role it needs
 * @param method the request's method; no header may change it
 * @param path the path a service reads: percent-decoded, without a trailing slash; for messages and matching
 * @param client the rate limit key of the client's address ({@code 203.0.113.7}, {@code 2001:db8::/64})
 * @param defect why the request is refused as malformed (400), if it is
 * @param registryCall what the body of a request to {@link ApiRoute#REGISTRY} is (null for any other request)
 * @param dialect how the gateway's own refusals of it are written: OCI errors for anything under {@code /v2},
 *        malformed paths included, problem+json for the rest
 */
public record Classification(Destination destination, ApiRoute route, Access access, String method, String path,
        String client, Optional<String> defect, RegistryCall registryCall, ErrorDialect dialect) {

    private static final String KEY = "monkeytown.classification";

    public boolean isApi() {
        return destination == Destination.API;
    }

    /** A request to the OCI registry at {@code /v2}. */
    public boolean isRegistry() {
        return route == ApiRoute.REGISTRY;
    }

    /** A delivery to the webhook endpoint: only {@code POST} on its exact path is one. */
    public boolean isWebhookDelivery() {
        return access == Access.SIGNED_DELIVERY;
    }

    void attachTo(RoutingContext ctx) {
        ctx.put(KEY, this);
        dialect.attachTo(ctx); // read by GatewayProblems, which every stage refuses through
    }

    /** The classification {@link ClassifyRoute} attached; every request on the public router has one. */
    public static Classification of(RoutingContext ctx) {
        Classification classification = ctx.get(KEY);
        if (classification == null) {
            throw new IllegalStateException("request not classified: ClassifyRoute must run first");
        }
        return classification;
    }
}
