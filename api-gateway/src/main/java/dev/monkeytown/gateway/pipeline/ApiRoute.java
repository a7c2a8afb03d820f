package dev.monkeytown.gateway.pipeline;

import java.util.Arrays;
import java.util.Optional;

/**
 * The public API's route table: which service owns which {@code /api/v1} prefix. Anything under {@code /api/v1} that no
 * route claims is a 404 at the gateway; nothing unknown is forwarded.
 *
 * @param service the service name, also the key of its base URL in
 *        {@code monkeytown.gateway.health.services.<service>.url} (one address book for probes and proxying)
 */
public enum ApiRoute {
    AGENTS("/api/v1/agents", "agent-dispatcher"), RUNS("/api/v1/runs", "agent-dispatcher"), BUILDS("/api/v1/builds",
            "build-service"), DEPLOYMENTS("/api/v1/deployments", "deploy-service"), ENVIRONMENTS(
                    "/api/v1/environments", "deploy-service"), ARTIFACTS("/api/v1/artifacts",
                            "artifact-service"), GITHUB_WEBHOOKS("/api/v1/webhooks/github", "api-gateway");

    public static final String API_PREFIX = "/api/v1";

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

    /** The route owning a normalised path: the prefix itself or anything below it. */
    public static Optional<ApiRoute> match(String path) {
        return Arrays.stream(values())
                .filter(route -> path.equals(route.prefix) || path.startsWith(route.prefix + "/"))
                .findFirst();
    }

    /**
     * An artifact download: the one read the spec keeps from anonymous callers ("anonymous pull disabled"). Artifact
     * content lives at {@code /api/v1/artifacts/{id}/content}; metadata reads stay public.
     */
    public static boolean isArtifactDownload(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method)) && path.startsWith(ARTIFACTS.prefix + "/")
                && path.endsWith("/content");
    }
}
