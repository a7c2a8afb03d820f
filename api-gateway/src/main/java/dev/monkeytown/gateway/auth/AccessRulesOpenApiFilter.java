package dev.monkeytown.gateway.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.quarkus.smallrye.openapi.OpenApiFilter;

import dev.monkeytown.gateway.classify.Classifier;
import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.Role;

/**
 * Documents the bearer scheme and {@link AccessPolicy}'s rule table in the gateway's {@code /q/openapi}: the rules as
 * the {@code x-monkeytown-roles} extension, and on every {@code /api/v1} operation the document holds, the role it needs
 * as {@code x-monkeytown-role} (plus the security requirement when that is more than anonymous) — so admin-only actions
 * are marked wherever the public operations end up described.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class AccessRulesOpenApiFilter implements OASFilter {

    static final String SCHEME = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        boolean anonymousReads = anonymousReads();
        AccessPolicy policy = new AccessPolicy(anonymousReads);

        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .description("A token issued to a user with a role (viewer < operator < admin); the gateway stores "
                        + "only its SHA-256. Locally: the contents of .monkeytown/token."));

        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("reads (GET, HEAD)", anonymousReads ? "anonymous" : "viewer");
        rules.put("OPTIONS", "anonymous");
        rules.put("artifact downloads (GET /api/v1/artifacts/{id}/content)", "viewer");
        rules.put("writes (POST, PUT, PATCH)", "operator");
        rules.put("DELETE, and any path with an /admin segment", "admin");
        rules.put("POST " + Classifier.WEBHOOK_PATH, "none: GitHub's X-Hub-Signature-256");
        if (openAPI.getInfo() != null) {
            openAPI.getInfo().addExtension("x-monkeytown-roles", rules);
        }

        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        markOperations(openAPI.getPaths().getPathItems(), policy);
    }

    /**
     * Marks the {@code /api/v1} operations among {@code pathItems} with the role they need. Public because the services'
     * operations join the document only per request (they are fetched live by
     * {@code dev.monkeytown.gateway.openapi.PublicApiOpenApiFilter}), after this filter ran at startup.
     */
    public static void markOperations(Map<String, PathItem> pathItems) {
        markOperations(pathItems, new AccessPolicy(anonymousReads()));
    }

    private static void markOperations(Map<String, PathItem> pathItems, AccessPolicy policy) {
        pathItems.forEach((path, item) -> {
            if (ApiRoute.match(path).isEmpty()) {
                return; // the gateway's own endpoints (webhooks, /health) are not authorized by a token
            }
            item.getOperations().forEach((method, operation) -> {
                Role role = policy.required(Classifier.access(method.name(), path));
                operation.addExtension("x-monkeytown-role", role.jsonName());
                if (role != Role.ANONYMOUS) {
                    operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME));
                }
            });
        });
    }

    private static boolean anonymousReads() {
        return ConfigProvider.getConfig()
                .getOptionalValue("monkeytown.gateway.auth.anonymous-reads", Boolean.class).orElse(true);
    }
}
