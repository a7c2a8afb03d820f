package dev.monkeytown.deploy;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** One rendered overlay as typed objects, for the invariant checks. */
record Manifests(String overlay, List<JsonNode> raw, List<KubernetesResource> objects) {

    static final List<String> SERVICES = List.of("api-gateway", "websocket-service", "agent-dispatcher",
            "build-service", "deploy-service", "artifact-service");
    /** The services that keep records on a state branch: one writer each (docs/state.md). */
    static final List<String> STATEFUL = List.of("agent-dispatcher", "build-service", "deploy-service",
            "artifact-service");

    static Manifests of(String overlay) {
        List<JsonNode> raw = Rendered.overlay(overlay);
        List<KubernetesResource> objects = new ArrayList<>();
        for (JsonNode object : raw) {
            try {
                objects.add(KubernetesModel.read(object));
            } catch (Exception e) {
                throw new AssertionError(overlay + ": " + Rendered.describe(object) + " does not read: " + e.getMessage(),
                        e);
            }
        }
        return new Manifests(overlay, raw, objects);
    }

    <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    Deployment deployment(String name) {
        return deployments().stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no Deployment " + name));
    }

    List<NetworkPolicy> networkPolicies() {
        return all(NetworkPolicy.class);
    }

    List<HorizontalPodAutoscaler> autoscalers() {
        return all(HorizontalPodAutoscaler.class);
    }

    List<PodDisruptionBudget> disruptionBudgets() {
        return all(PodDisruptionBudget.class);
    }

    List<ServiceAccount> serviceAccounts() {
        return all(ServiceAccount.class);
    }

    ConfigMap configMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
    }
}
