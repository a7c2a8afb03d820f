package dev.monkeytown.gateway.openapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.monkeytown.gateway.pipeline.ApiRoute;

/**
 * The public part of one service's OpenAPI document: the paths {@link ApiRoute#match} gives to that service, and every
 * component they use, directly or through other components. The service's {@code /internal} and {@code /q} paths, and
 * paths under routes it does not own, are left out — the gateway would not forward them anyway.
 *
 * @param paths path → path item, as in the service's document
 * @param components component kind ({@code schemas}, {@code parameters}, ...) → name → definition
 */
record ApiSlice(String service, JsonObject paths, JsonObject components) {

    static final String COMPONENTS_REF = "#/components/";

    static ApiSlice of(String service, JsonObject document) {
        JsonObject paths = new JsonObject();
        JsonObject allPaths = document.getJsonObject("paths", new JsonObject());
        for (Map.Entry<String, Object> path : allPaths) {
            if (path.getValue() instanceof JsonObject item && ownedBy(service, path.getKey())) {
                paths.put(path.getKey(), item.copy());
            }
        }

        JsonObject available = document.getJsonObject("components", new JsonObject());
        JsonObject components = new JsonObject();
        Deque<String> pending = new ArrayDeque<>();
        collectRefs(paths, pending);
        while (!pending.isEmpty()) {
            String[] kindAndName = pending.pop().substring(COMPONENTS_REF.length()).split("/", 2);
            if (kindAndName.length != 2) {
                continue;
            }
            String kind = kindAndName[0];
            String name = kindAndName[1];
            JsonObject definitions = available.getJsonObject(kind);
            if (definitions == null || !definitions.containsKey(name)) {
                continue; // a dangling reference stays dangling, as the service wrote it
            }
            JsonObject kept = components.getJsonObject(kind);
            if (kept == null) {
                kept = new JsonObject();
                components.put(kind, kept);
            }
            if (!kept.containsKey(name)) {
                Object definition = copy(definitions.getValue(name));
                kept.put(name, definition);
                collectRefs(definition, pending);
            }
        }
        return new ApiSlice(service, paths, components);
    }

    /** Whether the gateway forwards {@code path} to {@code service}: the route table decides, not the service. */
    static boolean ownedBy(String service, String path) {
        return ApiRoute.match(path).map(route -> route.service().equals(service)).orElse(false);
    }

    /** This slice with components renamed (kind → old name → new name) and every {@code $ref} to them rewritten. */
    ApiSlice renamed(Map<String, Map<String, String>> renames) {
        if (renames.isEmpty()) {
            return this;
        }
        JsonObject renamedComponents = new JsonObject();
        for (Map.Entry<String, Object> kind : components) {
            Map<String, String> names = renames.getOrDefault(kind.getKey(), Map.of());
            JsonObject definitions = new JsonObject();
            for (Map.Entry<String, Object> definition : (JsonObject) kind.getValue()) {
                definitions.put(names.getOrDefault(definition.getKey(), definition.getKey()),
                        rewriteRefs(definition.getValue(), renames));
            }
            renamedComponents.put(kind.getKey(), definitions);
        }
        return new ApiSlice(service, (JsonObject) rewriteRefs(paths, renames), renamedComponents);
    }

    private static void collectRefs(Object node, Deque<String> refs) {
        if (node instanceof JsonObject object) {
            for (Map.Entry<String, Object> entry : object) {
                if ("$ref".equals(entry.getKey()) && entry.getValue() instanceof String ref
                        && ref.startsWith(COMPONENTS_REF)) {
                    refs.push(ref);
                } else {
                    collectRefs(entry.getValue(), refs);
                }
            }
        } else if (node instanceof JsonArray array) {
            array.forEach(element -> collectRefs(element, refs));
        }
    }

    private static Object rewriteRefs(Object node, Map<String, Map<String, String>> renames) {
        if (node instanceof JsonObject object) {
            JsonObject rewritten = new JsonObject();
            for (Map.Entry<String, Object> entry : object) {
                if ("$ref".equals(entry.getKey()) && entry.getValue() instanceof String ref) {
                    rewritten.put("$ref", rewriteRef(ref, renames));
                } else {
                    rewritten.put(entry.getKey(), rewriteRefs(entry.getValue(), renames));
                }
            }
            return rewritten;
        }
        if (node instanceof JsonArray array) {
            JsonArray rewritten = new JsonArray();
            array.forEach(element -> rewritten.add(rewriteRefs(element, renames)));
            return rewritten;
        }
        return node;
    }

    private static String rewriteRef(String ref, Map<String, Map<String, String>> renames) {
        if (!ref.startsWith(COMPONENTS_REF)) {
            return ref;
        }
        String[] kindAndName = ref.substring(COMPONENTS_REF.length()).split("/", 2);
        if (kindAndName.length != 2) {
            return ref;
        }
        String renamed = renames.getOrDefault(kindAndName[0], Map.of()).get(kindAndName[1]);
        return renamed == null ? ref : COMPONENTS_REF + kindAndName[0] + "/" + renamed;
    }

    private static Object copy(Object value) {
        if (value instanceof JsonObject object) {
            return object.copy();
        }
        if (value instanceof JsonArray array) {
            return array.copy();
        }
        return value;
    }
}
