package dev.monkeytown.gateway.guard;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.classify.RegistryCall;
import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;

/**
 * Content type and size of request bodies on {@code /api/v1}. Every body is JSON (at most the JSON limit), except
 * artifact uploads: {@code POST|PUT} on the artifacts route with any non-JSON content type — an artifact is opaque
 * bytes whose media type the artifact service records — up to the artifact limit. A JSON body on the artifacts route
 * is metadata and gets the JSON limit. The registry's {@code /v2} has its own rules ({@link #registryLimit}). The API
 * only: the webhook route reads and caps its own body.
 * <p>
 * A declared {@code Content-Length} is judged here; a chunked body gets a {@link BodyLimit} that the proxy enforces
 * while streaming.
 */
@ApplicationScoped
public class RequestLimitsRoute {

    /** The manifest media types artifact-service stores (its {@code oci.MediaTypes.MANIFESTS}). */
    static final Set<String> MANIFEST_TYPES = Set.of("application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private final RequestLimitsConfig config;

    RequestLimitsRoute(RequestLimitsConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.REQUEST_LIMITS).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Classification classified = Classification.of(ctx);
        if (!classified.isApi() || !carriesBody(request)) {
            ctx.next();
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (classified.isRegistry()) {
            registryLimit(ctx, classified, contentType).ifPresent(limit -> enforce(ctx, limit));
            return;
        }
        boolean json = isJson(contentType);
        boolean artifacts = classified.route() == ApiRoute.ARTIFACTS;
        boolean upload = artifacts && (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT);
        if (!json && !upload) {
            GatewayProblems.send(ctx, 415, "Unsupported Content-Type "
                    + (contentType == null ? "(none)" : "'" + contentType + "'") + ": " + request.method() + " "
                    + classified.path() + " takes application/json"
                    + (artifacts ? " (artifact uploads are POST or PUT)" : "") + ".", Map.of());
            return;
        }
        enforce(ctx, json
                ? new BodyLimit(config.jsonBody().asLongValue(), "JSON body")
                : new BodyLimit(config.artifactBody().asLongValue(), "artifact upload"));
    }

    /**
     * The registry's bodies by its endpoint table, never judged as JSON: blob bytes of any type (usually
     * {@code application/octet-stream}, sometimes none) up to the artifact limit; a manifest up to the manifest limit,
     * of a manifest media type (415 otherwise, before the service reads it); anything else with a body gets the JSON
     * limit and goes on to the service, which says what it makes of it. Empty when the request was refused.
     */
    private Optional<BodyLimit> registryLimit(RoutingContext ctx, Classification classified, String contentType) {
        HttpMethod method = ctx.request().method();
        if (classified.registryCall() == RegistryCall.BLOB_UPLOAD
                && (method == HttpMethod.POST || method == HttpMethod.PATCH || method == HttpMethod.PUT)) {
            return Optional.of(new BodyLimit(config.artifactBody().asLongValue(), "blob"));
        }
        if (classified.registryCall() == RegistryCall.MANIFEST && method == HttpMethod.PUT) {
            if (contentType == null || !MANIFEST_TYPES.contains(mediaType(contentType))) {
                GatewayProblems.send(ctx, 415, "Unsupported Content-Type "
                        + (contentType == null ? "(none)" : "'" + contentType + "'") + ": a manifest is one of "
                        + String.join(", ", MANIFEST_TYPES.stream().sorted().toList()) + ".", Map.of());
                return Optional.empty();
            }
            return Optional.of(new BodyLimit(config.manifestBody().asLongValue(), "manifest"));
        }
        return Optional.of(new BodyLimit(config.jsonBody().asLongValue(), "request body"));
    }

    /** Refuses a declared length over the limit; a chunked body gets the limit to be enforced while it streams. */
    private void enforce(RoutingContext ctx, BodyLimit limit) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                GatewayProblems.send(ctx, 400, "Content-Length is not a number.", Map.of());
                return;
            }
            if (length > limit.maxBytes()) {
                GatewayProblems.send(ctx, 413, limit.refusal(), Map.of());
                return;
            }
        }
        limit.attachTo(ctx);
        ctx.next();
    }

    /** {@code Application/JSON; charset=utf-8} → {@code application/json}; null stays null. */
    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    static boolean carriesBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /** {@code application/json} or a structured {@code +json} type (e.g. {@code application/merge-patch+json}). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = mediaType(contentType);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
