package dev.monkeytown.gateway.pipeline;

import java.util.Arrays;
import java.util.Optional;

/**
 * The public API's route table: which service owns which {@code /api/v1} prefix. Anything under {@code /api/v1} that no
 * route claims is a 404 at the gateway (the webhook endpoint and the API document are the gateway's own, see
 * {@code classify.Classifier}); nothing unknown is forwarded. {@link #REGISTRY} is the one route outside
 * {@code /api/v1}: the OCI registry's {@code /v2}, at the root because registry clients always call {@code /v2/}. It is
 * not the suite's API, so {@link #match} never returns it (nor does the merged API document list its paths); the
 * classifier claims it by {@link #owns}.
 *
 * @param service the service name, also the key of its base URL in
 *        {@code monkeytown.gateway.health.services.<service>.url} (one address book for probes and proxying)
 */
public enum ApiRoute {
    AGENTS("/api/v1/agents", "agent-dispatcher"), RUNS("/api/v1/runs", "agent-dispatcher"), PIPELINES("/api/v1/pipelines",
            "build-service"), BUILDS("/api/v1/builds",
                    "build-service"), DEPLOYMENTS("/api/v1/deployments", "deploy-service"), ENVIRONMENTS("/api/v1/environments",
                            "deploy-service"), ALERTS("/api/v1/alerts", "deploy-service"), ARTIFACTS("/api/v1/artifacts",
                                    "artifact-service"), REGISTRY("/v2", "artifact-service");

    public static final String API_PREFIX = "/api/v1";

    /** The {@code /api/v1} routes. */
    private static final ApiRoute[] API = Arrays.stream(values()).filter(route -> route != REGISTRY)
            .toArray(ApiRoute[]::new);

    private final String prefix;
    private final String service;

    ApiRoute(String prefix, String service) {
        this.prefix = prefix;
        this.service = service;
    }

    public String prefix() {
        return prefix;
    }

    public String service() {
        return service;
    }

    /** The {@code /api/v1} route owning a decoded path: the prefix itself or anything below it. */
    public static Optional<ApiRoute> match(String path) {
        for (ApiRoute route : API) {
            if (route.owns(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code path} is this route's prefix or below it ({@code /v2x} is not {@code /v2}'s). */
    public boolean owns(String path) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
