package dev.monkeytown.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class PublicApiMergeTest {

    private static JsonObject document(String path, String schemaName, JsonObject schemas) {
        return new JsonObject()
                .put("paths", new JsonObject().put(path, new JsonObject().put("get", new JsonObject()
                        .put("responses", new JsonObject().put("200", new JsonObject().put("content",
                                new JsonObject().put("application/json", new JsonObject().put("schema",
                                        ref(schemaName)))))))))
                .put("components", new JsonObject().put("schemas", schemas));
    }

    private static JsonObject ref(String schemaName) {
        return new JsonObject().put("$ref", "#/components/schemas/" + schemaName);
    }

    private static String responseRef(PublicApiMerge merge, String path) {
        return merge.paths().getJsonObject(path).getJsonObject("get").getJsonObject("responses").getJsonObject("200")
                .getJsonObject("content").getJsonObject("application/json").getJsonObject("schema").getString("$ref");
    }

    @Test
    void aSliceKeepsOnlyOwnedPathsAndTheComponentsTheyReachTransitively() {
        JsonObject schemas = new JsonObject()
                .put("Build", new JsonObject().put("properties", new JsonObject().put("step", ref("Step"))))
                .put("Step", new JsonObject().put("type", "object"))
                .put("Unused", new JsonObject().put("type", "object"));
        JsonObject doc = document("/api/v1/builds/{id}", "Build", schemas);
        doc.getJsonObject("paths").put("/internal/webhooks/github", new JsonObject().put("post", new JsonObject()));
        doc.getJsonObject("paths").put("/api/v1/agents", new JsonObject().put("get", new JsonObject()));

        ApiSlice slice = ApiSlice.of("build-service", doc);

        assertEquals(Set.of("/api/v1/builds/{id}"), slice.paths().fieldNames());
        assertEquals(Set.of("Build", "Step"), slice.components().getJsonObject("schemas").fieldNames());
    }

    @Test
    void theRegistrysPathsAreNoPartOfThePublicApi() {
        // artifact-service owns /v2 at the gateway, but that is the OCI spec's API, not the suite's
        JsonObject doc = document("/api/v1/artifacts", "Listing", new JsonObject().put("Listing",
                new JsonObject().put("type", "object")));
        doc.getJsonObject("paths").put("/v2/", new JsonObject().put("get", new JsonObject()));
        doc.getJsonObject("paths").put("/v2/{name}/manifests/{reference}", new JsonObject().put("put",
                new JsonObject()));

        assertEquals(Set.of("/api/v1/artifacts"), ApiSlice.of("artifact-service", doc).paths().fieldNames());
    }

    @Test
    void aDifferentSchemaOfTheSameNameIsRenamedForTheLaterServiceAndItsRefsFollow() {
        PublicApiMerge merge = new PublicApiMerge(Map.of());
        merge.add(ApiSlice.of("agent-dispatcher", document("/api/v1/agents", "Status",
                new JsonObject().put("Status", new JsonObject().put("type", "string")))));
        merge.add(ApiSlice.of("build-service", document("/api/v1/builds", "Status",
                new JsonObject().put("Status", new JsonObject().put("type", "integer")))));

        JsonObject schemas = merge.components().getJsonObject("schemas");
        assertEquals("string", schemas.getJsonObject("Status").getString("type"));
        assertEquals("integer", schemas.getJsonObject("build-service.Status").getString("type"));
        assertEquals("#/components/schemas/Status", responseRef(merge, "/api/v1/agents"));
        assertEquals("#/components/schemas/build-service.Status", responseRef(merge, "/api/v1/builds"));
    }

    @Test
    void anIdenticalSchemaIsSharedUnderItsName() {
        JsonObject problem = new JsonObject().put("type", "object").put("title", "Problem");
        PublicApiMerge merge = new PublicApiMerge(Map.of());
        merge.add(ApiSlice.of("agent-dispatcher",
                document("/api/v1/agents", "Problem", new JsonObject().put("Problem", problem.copy()))));
        merge.add(ApiSlice.of("build-service",
                document("/api/v1/builds", "Problem", new JsonObject().put("Problem", problem.copy()))));

        assertEquals(Set.of("Problem"), merge.components().getJsonObject("schemas").fieldNames());
        assertEquals("#/components/schemas/Problem", responseRef(merge, "/api/v1/builds"));
    }

    @Test
    void aSchemaThatIsIdenticalOnlyByTextIsRenamedWhenWhatItRefersToWasRenamed() {
        // both say Page → Item, but the Items differ: sharing Page would point build-service's pages at agents' items
        JsonObject page = new JsonObject().put("properties", new JsonObject().put("items", ref("Item")));
        PublicApiMerge merge = new PublicApiMerge(Map.of());
        merge.add(ApiSlice.of("agent-dispatcher", document("/api/v1/agents", "Page", new JsonObject()
                .put("Page", page.copy()).put("Item", new JsonObject().put("type", "string")))));
        merge.add(ApiSlice.of("build-service", document("/api/v1/builds", "Page", new JsonObject()
                .put("Page", page.copy()).put("Item", new JsonObject().put("type", "integer")))));

        JsonObject schemas = merge.components().getJsonObject("schemas");
        assertEquals("#/components/schemas/build-service.Page", responseRef(merge, "/api/v1/builds"));
        assertEquals("#/components/schemas/build-service.Item",
                schemas.getJsonObject("build-service.Page").getJsonObject("properties").getJsonObject("items")
                        .getString("$ref"));
        assertEquals("#/components/schemas/Item",
                schemas.getJsonObject("Page").getJsonObject("properties").getJsonObject("items").getString("$ref"));
    }

    @Test
    void theGatewaysOwnComponentNamesAreNeverOverwritten() {
        PublicApiMerge merge = new PublicApiMerge(Map.of("schemas", Set.of("SuiteHealth")));
        merge.add(ApiSlice.of("deploy-service", document("/api/v1/deployments", "SuiteHealth",
                new JsonObject().put("SuiteHealth", new JsonObject().put("type", "object")))));

        JsonObject schemas = merge.components().getJsonObject("schemas");
        assertFalse(schemas.containsKey("SuiteHealth"));
        assertTrue(schemas.containsKey("deploy-service.SuiteHealth"));
        assertEquals("#/components/schemas/deploy-service.SuiteHealth", responseRef(merge, "/api/v1/deployments"));
    }
}
