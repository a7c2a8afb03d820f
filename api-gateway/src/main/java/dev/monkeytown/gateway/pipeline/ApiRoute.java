package dev.monkeytown.gateway.pipeline;

import java.util.Optional;

/**
 * The public API's route table: which service owns which {@code /api/v1} prefix. Anything under {@code /api/v1} that no
 * route claims is a 404 at the gateway (the webhook endpoint and the API document are the gateway's own, see
 * {@code classify.Classifier}); nothing unknown is forwarded.
 *
 * @param service the service name, also the key of its base URL in
 *        {@code monkeytown.gateway.health.services.<service>.url} (one address book for probes and proxying)
 */
public enum ApiRoute {
    AGENTS("/api/v1/agents", "agent-dispatcher"), RUNS("/api/v1/runs", "agent-dispatcher"), PIPELINES("/api/v1/pipelines",
            "build-service"), BUILDS("/api/v1/builds",
                    "build-service"), DEPLOYMENTS("/api/v1/deployments", "deploy-service"), ENVIRONMENTS("/api/v1/environments",
                            "deploy-service"), ARTIFACTS("/api/v1/artifacts", "artifact-service");

    public static final String API_PREFIX = "/api/v1";

    private static final ApiRoute[] ALL = values();

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

    /** The route owning a decoded path: the prefix itself or anything below it. */
    public static Optional<ApiRoute> match(String path) {
        for (ApiRoute route : ALL) {
            if (path.startsWith(route.prefix)
                    && (path.length() == route.prefix.length() || path.charAt(route.prefix.length()) == '/')) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }
}
