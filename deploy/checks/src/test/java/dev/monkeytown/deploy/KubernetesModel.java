package dev.monkeytown.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * The Kubernetes object model (fabric8's typed classes, generated from the Kubernetes OpenAPI and the
 * prometheus-operator CRDs) read strictly: a value of the wrong type is refused instead of coerced, and a field the
 * model does not know — which fabric8 would keep quietly in {@code additionalProperties} — is reported.
 */
final class KubernetesModel {

    /** The kinds the manifests may contain. Anything else is an error until it is added here on purpose. */
    static final Map<String, Class<? extends KubernetesResource>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    /**
     * Fields the Kubernetes API requires (the {@code required} lists of its OpenAPI document, v1.32, and the
     * prometheus-operator CRD) for the types the manifests use. fabric8's classes carry no such marks, so the list is
     * kept here; a type not listed has no required field.
     */
    static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("ObjectMeta", List.of()),
            Map.entry("Container", List.of("name")),
            Map.entry("ContainerPort", List.of("containerPort")),
            Map.entry("EnvVar", List.of("name")),
            Map.entry("SecretKeySelector", List.of("key")),
            Map.entry("ConfigMapKeySelector", List.of("key")),
            Map.entry("VolumeMount", List.of("name", "mountPath")),
            Map.entry("Volume", List.of("name")),
            Map.entry("PersistentVolumeClaimVolumeSource", List.of("claimName")),
            Map.entry("PodSpec", List.of("containers")),
            Map.entry("DeploymentSpec", List.of("selector", "template")),
            Map.entry("LabelSelectorRequirement", List.of("key", "operator")),
            Map.entry("HTTPGetAction", List.of("port")),
            Map.entry("SleepAction", List.of("seconds")),
            Map.entry("SeccompProfile", List.of("type")),
            Map.entry("TopologySpreadConstraint", List.of("maxSkew", "topologyKey", "whenUnsatisfiable")),
            Map.entry("ServicePort", List.of("port")),
            Map.entry("HorizontalPodAutoscalerSpec", List.of("scaleTargetRef", "maxReplicas")),
            Map.entry("CrossVersionObjectReference", List.of("kind", "name")),
            Map.entry("MetricSpec", List.of("type")),
            Map.entry("ResourceMetricSource", List.of("name", "target")),
            Map.entry("MetricTarget", List.of("type")),
            Map.entry("HPAScalingPolicy", List.of("type", "value", "periodSeconds")),
            Map.entry("NetworkPolicySpec", List.of("podSelector")),
            Map.entry("IPBlock", List.of("cidr")),
            Map.entry("HTTPIngressRuleValue", List.of("paths")),
            Map.entry("HTTPIngressPath", List.of("pathType", "backend")),
            Map.entry("IngressServiceBackend", List.of("name")),
            Map.entry("IngressTLS", List.of()),
            Map.entry("ServiceMonitorSpec", List.of("selector")));

    private static final ObjectMapper STRICT = strictMapper();

    private KubernetesModel() {
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
        // "replicas: '2'" or "runAsNonRoot: 'true'" must not slip through as a number or a boolean
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    static Class<? extends KubernetesResource> typeOf(JsonNode object) {
        return KINDS.get(object.path("apiVersion").asText() + "/" + object.path("kind").asText());
    }

    /** The object read into its typed class; throws with Jackson's path on a wrong type or shape. */
    static KubernetesResource read(JsonNode object) throws Exception {
        Class<? extends KubernetesResource> type = typeOf(object);
        if (type == null) {
            throw new IllegalArgumentException("kind " + object.path("apiVersion").asText() + "/"
                    + object.path("kind").asText() + " is not one the manifests may use");
        }
        return STRICT.treeToValue(object, type);
    }

    /** Paths of fields the model does not know (kept by fabric8 in additionalProperties), e.g. spec.template.spec.foo. */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found, new ArrayList<>());
        return found;
    }

    /** Paths of required fields that are absent, e.g. spec.template.spec.containers[0].name. */
    static List<String> missingRequired(Object model) {
        List<String> missing = new ArrayList<>();
        walk(model, "", new ArrayList<>(), missing);
        return missing;
    }

    private static void walk(Object value, String path, List<String> found, List<String> missing) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, missing);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, found, missing));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.")) {
            return;
        }
        for (String field : REQUIRED.getOrDefault(value.getClass().getSimpleName(), List.of())) {
            Object present;
            try {
                present = value.getClass().getMethod("get" + Character.toUpperCase(field.charAt(0)) + field.substring(1))
                        .invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(value.getClass() + " has no field " + field, e);
            }
            if (present == null || (present instanceof String s && s.isEmpty())
                    || (present instanceof Collection<?> c && c.isEmpty())) {
                missing.add(path.isEmpty() ? field : path + "." + field);
            }
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> found.add(path.isEmpty() ? key.toString() : path + "." + key));
                }
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            walk(child, path.isEmpty() ? name : path + "." + name, found, missing);
        }
    }
}
