package dev.monkeytown.gateway.classify;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.ErrorDialect;

/**
 * The one place that decides what a request is, from its method, its raw path and its header names. Pure, so the rule
 * table is tested without a server.
 */
public final class Classifier {

    public static final String WEBHOOK_PATH = ApiRoute.API_PREFIX + "/webhooks/github";
    public static final String API_DOCUMENT_PATH = ApiRoute.API_PREFIX + "/openapi.json";
    public static final String WEBSOCKET_PATH = "/ws";
    public static final String HEALTH_PATH = "/health";

    /**
     * Headers some frameworks take as the "real" method of a POST. No service here honours them, but one that started
     * to would run a DELETE the gateway judged as a POST: refused rather than dropped, so the client learns why.
     */
    static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method",
            "X-Method-Override");

    private Classifier() {
    }

    /**
     * @param method the request line's method
     * @param rawPath the path as the client sent it
     * @param hasHeader whether the request carries a header of that name (case-insensitive)
     * @param client the client's rate limit key
     */
    public static Classification classify(String method, String rawPath, Predicate<String> hasHeader,
            String client) {
        Optional<String> defect = RawPath.defect(rawPath)
                .map(why -> "Malformed request path: " + why
                        + ". Send the path without dot segments, empty segments, matrix parameters or encoded "
                        + "separators.")
                .or(() -> METHOD_OVERRIDES.stream().filter(hasHeader).findFirst()
                        .map(header -> header + " is not accepted: send the request with the method itself."));
        // by the raw path, so a malformed registry request is refused in the registry's language too
        ErrorDialect dialect = ApiRoute.REGISTRY.owns(rawPath) ? ErrorDialect.OCI : ErrorDialect.PROBLEM;
        if (defect.isPresent()) {
            return new Classification(Destination.NOWHERE, null, Access.OPEN, method, rawPath, client, defect, null,
                    dialect);
        }
        String path = canonical(RawPath.decoded(rawPath));
        if (ApiRoute.REGISTRY.owns(path)) {
            return new Classification(Destination.API, ApiRoute.REGISTRY, registryAccess(method), method, path, client,
                    Optional.empty(), RegistryCall.of(path), ErrorDialect.OCI);
        }
        if (path.equals(WEBSOCKET_PATH)) {
            return open(Destination.WEBSOCKET, method, path, client);
        }
        if (path.equals(HEALTH_PATH)) {
            return open(Destination.HEALTH, method, path, client);
        }
        if (path.equals(API_DOCUMENT_PATH)) {
            return open(Destination.API_DOCUMENT, method, path, client);
        }
        if (path.equals(WEBHOOK_PATH)) {
            // only a POST is a delivery; anything else there is an ordinary anonymous request (answered 405)
            return new Classification(Destination.WEBHOOK, null,
                    "POST".equals(method) ? Access.SIGNED_DELIVERY : Access.OPEN, method, path, client,
                    Optional.empty(), null, ErrorDialect.PROBLEM);
        }
        Optional<ApiRoute> route = ApiRoute.match(path);
        if (route.isPresent()) {
            return new Classification(Destination.API, route.get(), access(method, path), method, path, client,
                    Optional.empty(), null, ErrorDialect.PROBLEM);
        }
        return open(Destination.NOWHERE, method, path, client);
    }

    /**
     * What an API request asks to do; see {@link Access} for the order. {@code path} is a decoded path or, for the
     * OpenAPI document, a path template.
     */
    public static Access access(String method, String path) {
        if ("OPTIONS".equals(method)) {
            return Access.PREFLIGHT;
        }
        if ("DELETE".equals(method) || hasAdminSegment(path)) {
            return Access.ADMIN;
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return Access.WRITE;
        }
        if (isArtifactContent(path)) {
            return Access.ARTIFACT_DOWNLOAD;
        }
        if (ApiRoute.ALERTS.owns(path)) {
            return Access.PRIVATE_READ;
        }
        return Access.READ;
    }

    /**
     * The registry's rule (docs/artifacts.md, "Access"): every request needs a token — the spec keeps anonymous pull
     * off, so reads are pulls whatever {@code anonymous-reads} says, and a registry client's {@code OPTIONS} is no
     * browser preflight — {@code DELETE} needs admin, any other write operator. No admin-segment rule: below
     * {@code /v2} a segment named {@code admin} is part of a repository name.
     */
    static Access registryAccess(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> Access.ARTIFACT_DOWNLOAD;
            case "DELETE" -> Access.ADMIN;
            default -> Access.WRITE;
        };
    }

    /**
     * Any {@code admin} segment below {@code /api/v1}, e.g. {@code /api/v1/runs/admin/reconcile}: operations kept for
     * administrators. Fails closed: a resource that happens to be named "admin" needs the admin role too.
     */
    private static boolean hasAdminSegment(String path) {
        for (String segment : path.split("/")) {
            if (segment.equals("admin")) {
                return true;
            }
        }
        return false;
    }

    /** Artifact content lives at {@code /api/v1/artifacts/{id}/content}; metadata reads stay public. */
    private static boolean isArtifactContent(String path) {
        return path.startsWith(ApiRoute.ARTIFACTS.prefix() + "/") && path.endsWith("/content");
    }

    /** A trailing slash names the same resource to JAX-RS, so it must not name another one here. */
    static String canonical(String decodedPath) {
        return decodedPath.length() > 1 && decodedPath.endsWith("/")
                ? decodedPath.substring(0, decodedPath.length() - 1)
                : decodedPath;
    }

    private static Classification open(Destination destination, String method, String path, String client) {
        return new Classification(destination, null, Access.OPEN, method, path, client, Optional.empty(), null,
                ErrorDialect.PROBLEM);
    }
}
