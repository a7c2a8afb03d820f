package dev.monkeytown.gateway.guard;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Body size limits of the public API (spec: "API Gateway (request validation)"). */
@ConfigMapping(prefix = "monkeytown.gateway.limits")
public interface RequestLimitsConfig {

    /** Largest JSON body any {@code /api/v1} write may carry. */
    @WithDefault("1M")
    MemorySize jsonBody();

    /**
     * Largest artifact upload ({@code POST|PUT /api/v1/artifacts...} with a non-JSON body), and largest blob body on
     * the registry ({@code POST|PATCH|PUT /v2/<name>/blobs/uploads/...}). Quarkus refuses a declared
     * {@code Content-Length} above {@code quarkus.http.limits.max-body-size} before this check runs, so that property
     * must be at least this large.
     */
    @WithDefault("512M")
    MemorySize artifactBody();

    /**
     * Largest manifest a registry client may {@code PUT /v2/<name>/manifests/<reference>}: artifact-service's
     * {@code max-manifest-size} (4 MiB, the limit registries commonly apply).
     */
    @WithDefault("4M")
    MemorySize manifestBody();
}
