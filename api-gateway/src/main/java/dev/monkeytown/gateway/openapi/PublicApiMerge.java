package dev.monkeytown.gateway.openapi;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonObject;

/**
 * Joins the services' {@link ApiSlice}s into one set of paths and components. Components are shared by name, so two
 * services can clash: an identical definition is kept once, a different one is renamed {@code <service>.<name>} (the
 * service later in the route table yields) with its {@code $ref}s rewritten. The gateway's own component names count
 * as taken. A path is owned by exactly one service (the route table), so paths never clash.
 */
final class PublicApiMerge {

    private final Map<String, Set<String>> reserved;
    private final JsonObject paths = new JsonObject();
    private final JsonObject components = new JsonObject();

    /** @param reserved component kind → names the gateway's own document already uses */
    PublicApiMerge(Map<String, Set<String>> reserved) {
        this.reserved = reserved;
    }

    void add(ApiSlice slice) {
        ApiSlice merged = withoutClashes(slice);
        merged.paths().forEach(path -> paths.put(path.getKey(), path.getValue()));
        for (Map.Entry<String, Object> kind : merged.components()) {
            JsonObject target = components.getJsonObject(kind.getKey());
            if (target == null) {
                target = new JsonObject();
                components.put(kind.getKey(), target);
            }
            for (Map.Entry<String, Object> definition : (JsonObject) kind.getValue()) {
                if (!target.containsKey(definition.getKey())) {
                    target.put(definition.getKey(), definition.getValue());
                }
            }
        }
    }

    JsonObject paths() {
        return paths;
    }

    JsonObject components() {
        return components;
    }

    /**
     * Renames until no component clashes. Repeated because renaming one component changes the definitions that refer
     * to it, which may then differ from a same-named one already merged; renames only grow, so this ends.
     */
    private ApiSlice withoutClashes(ApiSlice slice) {
        Map<String, Map<String, String>> renames = new HashMap<>();
        while (true) {
            ApiSlice candidate = slice.renamed(renames);
            boolean more = false;
            for (Map.Entry<String, Object> kind : slice.components()) {
                Map<String, String> renamedInKind = renames.computeIfAbsent(kind.getKey(), k -> new HashMap<>());
                JsonObject candidates = candidate.components().getJsonObject(kind.getKey());
                for (String name : ((JsonObject) kind.getValue()).fieldNames()) {
                    if (renamedInKind.containsKey(name)) {
                        continue;
                    }
                    if (clashes(kind.getKey(), name, candidates.getValue(name))) {
                        renamedInKind.put(name, slice.service() + "." + name);
                        more = true;
                    }
                }
            }
            if (!more) {
                return candidate;
            }
        }
    }

    private boolean clashes(String kind, String name, Object definition) {
        if (reserved.getOrDefault(kind, Set.of()).contains(name)) {
            return true;
        }
        JsonObject merged = components.getJsonObject(kind);
        return merged != null && merged.containsKey(name) && !merged.getValue(name).equals(definition);
    }
}
