package dev.monkeytown.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * Every object each overlay renders is valid against the Kubernetes model: a kind the suite means to use, values of the
 * right types, every required field, no field the API does not know. The last tests show the checker catching each of
 * those on a broken Deployment, so a silent checker cannot pass.
 */
class SchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyRenderedObjectIsValid(String overlay) {
        List<JsonNode> objects = Rendered.overlay(overlay);
        assertFalse(objects.isEmpty(), overlay + " renders nothing");
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects) {
            problems.addAll(problems(object).stream().map(p -> overlay + ": " + Rendered.describe(object) + ": " + p)
                    .toList());
        }
        assertEquals(List.of(), problems);
    }

    static List<String> problems(JsonNode object) {
        List<String> problems = new ArrayList<>();
        if (object.path("metadata").path("name").asText().isEmpty()) {
            problems.add("metadata.name is required");
        }
        KubernetesResource model;
        try {
            model = KubernetesModel.read(object);
        } catch (Exception e) {
            problems.add(e.getMessage().lines().findFirst().orElse(e.toString()));
            return problems;
        }
        KubernetesModel.unknownFields(model).forEach(f -> problems.add("unknown field " + f));
        KubernetesModel.missingRequired(model).forEach(f -> problems.add("missing required field " + f));
        return problems;
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              replicas: 1
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: x
                      image: x
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /q/health/ready, port: management}}
            """;

    private static List<String> problemsOf(String yaml) {
        return problems(Rendered.parse(yaml).get(0));
    }

    @Test
    void aCorrectDeploymentPasses() {
        assertEquals(List.of(), problemsOf(DEPLOYMENT));
    }

    @Test
    void aWrongTypeIsCaught() {
        List<String> found = problemsOf(DEPLOYMENT.replace("replicas: 1", "replicas: \"one\""));
        assertEquals(1, found.size(), found.toString());
        List<String> quoted = problemsOf(DEPLOYMENT.replace("replicas: 1", "replicas: \"1\""));
        assertEquals(1, quoted.size(), "a quoted number is a string, not coerced: " + quoted);
        assertFalse(problemsOf(DEPLOYMENT.replace("containerPort: 8080", "containerPort: [8080]")).isEmpty());
    }

    @Test
    void anUnknownFieldIsCaught() {
        assertEquals(List.of("unknown field spec.template.spec.containers[0].imagePullPolicyy"),
                problemsOf(DEPLOYMENT.replace("image: x", "image: x\n          imagePullPolicyy: Always")));
        assertEquals(List.of("unknown field spec.replica"), problemsOf(DEPLOYMENT.replace("replicas: 1", "replica: 1")));
    }

    @Test
    void aMissingRequiredFieldIsCaught() {
        assertEquals(List.of("missing required field spec.template.spec.containers[0].name"),
                problemsOf(DEPLOYMENT.replace("- name: x\n          image: x", "- image: x")));
        assertEquals(List.of("missing required field spec.template.spec.containers[0].ports[0].containerPort"),
                problemsOf(DEPLOYMENT.replace(", containerPort: 8080", "")));
        assertEquals(List.of("missing required field spec.selector"),
                problemsOf(DEPLOYMENT.replace("  selector: {matchLabels: {a: b}}\n", "")));
    }

    @Test
    void aKindTheSuiteDoesNotUseIsRefused() {
        List<String> found = problemsOf("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: b}\n");
        assertTrue(found.get(0).contains("is not one the manifests may use"), found.toString());
        assertThrows(Exception.class, () -> KubernetesModel.read(Rendered.parse("apiVersion: v1\nkind: Pod\n").get(0)));
    }
}
