package dev.monkeytown.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** infrastructure/docker: the single-host compose file keeps the suite's shape and its hardening. */
class ComposeTest {

    @Test
    void sixServicesOnlyTheGatewayPublishedAllHardened() throws IOException {
        // SnakeYAML resolves anchors and merge keys (<<: *service) as compose does; Jackson's YAML reader does not
        Object compose = new Yaml().load(Files.readString(Repository.resolve("infrastructure/docker/docker-compose.yml")));
        JsonNode services = new ObjectMapper().valueToTree(compose).path("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(Manifests.SERVICES), new TreeSet<>(names));
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            assertEquals(name.equals("api-gateway"), service.has("ports"), name + ": only the gateway is published");
            assertTrue(service.path("read_only").asBoolean(), name + ": read-only root");
            assertEquals("ALL", service.path("cap_drop").path(0).asText(), name + ": capabilities");
            assertTrue(
                    service.path("image").asText()
                            .endsWith("/" + name + ":${MONKEYTOWN_TAG:?set MONKEYTOWN_TAG to an image tag}"),
                    name + ": image " + service.path("image").asText());
            boolean stateful = Manifests.STATEFUL.contains(name);
            assertEquals(stateful, service.path("environment").path("MONKEYTOWN_STATE_BACKEND").asText().equals("local"),
                    name + ": state backend");
        }
        assertEquals("http://artifact-service:8080",
                services.path("build-service").path("environment").path("MONKEYTOWN_BUILD_ARTIFACTS_URL").asText(),
                "build-service pushes its outputs to artifact-service, not to its own localhost");
        services.path("api-gateway").path("ports")
                .forEach(port -> assertTrue(port.asText().startsWith("127.0.0.1:"), "gateway bound to loopback"));
    }
}
