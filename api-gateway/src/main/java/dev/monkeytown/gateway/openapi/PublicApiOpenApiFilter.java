package dev.monkeytown.gateway.openapi;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;

import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.openapi.api.SmallRyeOpenAPI;
import io.vertx.core.json.JsonObject;

import dev.monkeytown.gateway.auth.AccessRulesOpenApiFilter;

/**
 * Makes the gateway's {@code /q/openapi} describe the public API as deployed: per request (documents cached by
 * {@link ServiceDocuments}), the {@code /api/v1} paths each service owns and the components they use are merged from
 * the services' own documents, then marked with the role they need. A service that does not answer is left out and
 * named, with the reason, in the root extension {@code x-monkeytown-unavailable}; the document itself never fails.
 * Runs after {@link AccessRulesOpenApiFilter} (startup stage), so it marks the operations it adds itself.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class PublicApiOpenApiFilter implements OASFilter {

    static final String UNAVAILABLE = "x-monkeytown-unavailable";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        PublicApiMerge merge = new PublicApiMerge(componentNames(openAPI.getComponents()));
        Map<String, String> unavailable = new LinkedHashMap<>();
        List<String> merged = new ArrayList<>();
        for (ServiceDocument document : Arc.container().instance(ServiceDocuments.class).get().current()) {
            if (document instanceof ServiceDocument.Fetched fetched) {
                merge.add(ApiSlice.of(fetched.service(), fetched.document()));
                merged.add(fetched.service());
            } else if (document instanceof ServiceDocument.Unavailable down) {
                unavailable.put(down.service(), down.reason());
            }
        }
        if (!merge.paths().isEmpty()) {
            try {
                add(openAPI, parse(openAPI.getOpenapi(), merge));
            } catch (RuntimeException unreadable) {
                // JSON already, so this is a document SmallRye cannot model; served without the services' paths
                Log.warnf("The services' OpenAPI documents could not be merged into /q/openapi: %s", unreadable);
                merged.forEach(service -> unavailable.put(service, "its document could not be read"));
            }
        }
        if (!unavailable.isEmpty()) {
            openAPI.addExtension(UNAVAILABLE, unavailable);
        }
    }

    /** SmallRye OpenAPI's own reader, without the gateway's configuration, annotations or filters. */
    private static OpenAPI parse(String version, PublicApiMerge merge) {
        JsonObject document = new JsonObject()
                .put("openapi", version == null ? "3.1.0" : version)
                .put("info", new JsonObject().put("title", "services").put("version", "0"))
                .put("paths", merge.paths())
                .put("components", merge.components());
        byte[] json = document.encode().getBytes(StandardCharsets.UTF_8);
        return SmallRyeOpenAPI.builder()
                .withConfig(new SmallRyeConfigBuilder().build())
                .enableModelReader(false)
                .enableStandardStaticFiles(false)
                .enableAnnotationScan(false)
                .enableStandardFilter(false)
                .withCustomStaticFile(() -> new ByteArrayInputStream(json))
                .build()
                .model();
    }

    private static void add(OpenAPI target, OpenAPI services) {
        if (services.getPaths() == null || services.getPaths().getPathItems() == null) {
            return;
        }
        AccessRulesOpenApiFilter.markOperations(services.getPaths().getPathItems());
        if (target.getPaths() == null) {
            target.setPaths(OASFactory.createPaths());
        }
        services.getPaths().getPathItems().forEach(target.getPaths()::addPathItem);

        Components from = services.getComponents();
        if (from == null) {
            return;
        }
        if (target.getComponents() == null) {
            target.setComponents(OASFactory.createComponents());
        }
        Components to = target.getComponents();
        forEach(from.getSchemas(), to::addSchema);
        forEach(from.getResponses(), to::addResponse);
        forEach(from.getParameters(), to::addParameter);
        forEach(from.getExamples(), to::addExample);
        forEach(from.getRequestBodies(), to::addRequestBody);
        forEach(from.getHeaders(), to::addHeader);
        forEach(from.getSecuritySchemes(), to::addSecurityScheme);
        forEach(from.getLinks(), to::addLink);
        forEach(from.getCallbacks(), to::addCallback);
        forEach(from.getPathItems(), to::addPathItem);
    }

    private static <T> void forEach(Map<String, T> items, java.util.function.BiConsumer<String, T> add) {
        if (items != null) {
            items.forEach(add);
        }
    }

    /** The gateway's own component names by kind, as the document spells the kinds. */
    private static Map<String, Set<String>> componentNames(Components components) {
        Map<String, Set<String>> names = new HashMap<>();
        if (components == null) {
            return names;
        }
        put(names, "schemas", components.getSchemas());
        put(names, "responses", components.getResponses());
        put(names, "parameters", components.getParameters());
        put(names, "examples", components.getExamples());
        put(names, "requestBodies", components.getRequestBodies());
        put(names, "headers", components.getHeaders());
        put(names, "securitySchemes", components.getSecuritySchemes());
        put(names, "links", components.getLinks());
        put(names, "callbacks", components.getCallbacks());
        put(names, "pathItems", components.getPathItems());
        return names;
    }

    private static void put(Map<String, Set<String>> names, String kind, Map<String, ?> items) {
        if (items != null) {
            names.put(kind, Set.copyOf(items.keySet()));
        }
    }
}
