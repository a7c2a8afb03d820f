package dev.monkeytown.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * An overlay of deploy/kubernetes as {@code kubectl kustomize} renders it: the objects a cluster would receive. kubectl
 * gets a kubeconfig that is an empty file, so it never reaches for a cluster (without one it would try
 * localhost:8080).
 */
final class Rendered {

    static final List<String> OVERLAYS = List.of("local", "production");

    private static final Map<String, List<JsonNode>> CACHE = new ConcurrentHashMap<>();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Rendered() {
    }

    static List<JsonNode> overlay(String name) {
        return CACHE.computeIfAbsent(name, Rendered::render);
    }

    static String kubectl() {
        return System.getenv().getOrDefault("KUBECTL", "kubectl");
    }

    private static List<JsonNode> render(String overlay) {
        Path root = Repository.root();
        Tools.Result result = Tools.run(root, Map.of("KUBECONFIG", emptyKubeconfig().toString()),
                List.of(kubectl(), "kustomize", "deploy/kubernetes/overlays/" + overlay));
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize deploy/kubernetes/overlays/" + overlay + " failed:\n"
                    + result.output());
        }
        return parse(result.output());
    }

    static List<JsonNode> parse(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(yaml);
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static Path emptyKubeconfig() {
        try {
            Path file = Files.createTempFile("monkeytown-empty-kubeconfig", ".yaml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe(JsonNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }
}
