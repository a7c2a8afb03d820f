package dev.monkeytown.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import dev.monkeytown.deploy.NetworkReach.Peer;

/** What every rendered overlay must hold, whatever else changes in the manifests. */
class InvariantsTest {

    private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|SECRET|SECRETS|PASSWORD|KEY)$");

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceIsDeployedOnceWithItsServiceAndAccount(String overlay) {
        Manifests m = Manifests.of(overlay);
        assertEquals(new TreeSet<>(Manifests.SERVICES),
                new TreeSet<>(m.deployments().stream().map(d -> d.getMetadata().getName()).toList()), overlay);
        Set<String> accounts = new TreeSet<>(m.serviceAccounts().stream().map(a -> a.getMetadata().getName()).toList());
        for (Deployment d : m.deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertTrue(accounts.contains(pod.getServiceAccountName()), d.getMetadata().getName() + ": account");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void containersHaveTheSpecsLimitsAndRequestsBelowThem(String overlay) {
        for (Deployment d : Manifests.of(overlay).deployments()) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String where = overlay + " " + d.getMetadata().getName() + "/" + c.getName();
                Map<String, Quantity> limits = c.getResources().getLimits();
                Map<String, Quantity> requests = c.getResources().getRequests();
                assertNotNull(limits, where + ": limits");
                assertNotNull(requests, where + ": requests");
                assertEquals(Quantity.getAmountInBytes(new Quantity("512Mi")),
                        Quantity.getAmountInBytes(limits.get("memory")), where + ": memory limit");
                assertEquals(Quantity.getAmountInBytes(new Quantity("1")), Quantity.getAmountInBytes(limits.get("cpu")),
                        where + ": cpu limit");
                for (String resource : List.of("memory", "cpu")) {
                    assertNotNull(requests.get(resource), where + ": " + resource + " request");
                    assertTrue(Quantity.getAmountInBytes(requests.get(resource))
                            .compareTo(Quantity.getAmountInBytes(limits.get(resource))) <= 0,
                            where + ": " + resource + " request above its limit");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void probesAskTheManagementInterface(String overlay) {
        Manifests m = Manifests.of(overlay);
        assertEquals("9000", m.configMap("monkeytown-common").getData().get("QUARKUS_MANAGEMENT_PORT"));
        for (Deployment d : m.deployments()) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            String where = overlay + " " + d.getMetadata().getName();
            assertTrue(c.getPorts().stream().anyMatch(p -> "management".equals(p.getName())
                    && p.getContainerPort() == 9000), where + ": management port 9000");
            assertProbe(c.getStartupProbe(), "/q/health/started", where + " startup");
            assertProbe(c.getLivenessProbe(), "/q/health/live", where + " liveness");
            assertProbe(c.getReadinessProbe(), "/q/health/ready", where + " readiness");
        }
    }

    private static void assertProbe(Probe probe, String path, String where) {
        assertNotNull(probe, where + " probe");
        assertNotNull(probe.getHttpGet(), where + " probe is not an HTTP GET");
        assertEquals(path, probe.getHttpGet().getPath(), where);
        assertEquals("management", probe.getHttpGet().getPort().getStrVal(), where + " probe port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void podsRunRestrictedWithAReadOnlyRootAndNoAccountToken(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (Deployment d : m.deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            String where = overlay + " " + d.getMetadata().getName();
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), where + ": token mounted");
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), where + ": runAsNonRoot");
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), where + ": seccomp");
            assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                    || Boolean.TRUE.equals(pod.getHostIPC()), where + ": host namespaces");
            for (Volume v : pod.getVolumes()) {
                assertTrue(v.getEmptyDir() != null || v.getSecret() != null || v.getConfigMap() != null
                        || v.getPersistentVolumeClaim() != null, where + ": volume " + v.getName() + " kind");
            }
            for (Container c : pod.getContainers()) {
                var sc = c.getSecurityContext();
                assertNotNull(sc, where + ": container securityContext");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + ": privilege escalation");
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where + ": read-only root");
                assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), where + ": privileged");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where + ": capabilities dropped");
                assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(),
                        where + ": capabilities added");
                // the JVM's scratch space: java.io.tmpdir must be writable on a read-only root
                assertTrue(c.getVolumeMounts().stream().anyMatch(vm -> vm.getMountPath().equals("/tmp")),
                        where + ": /tmp writable");
            }
        }
        m.serviceAccounts().forEach(a -> assertEquals(Boolean.FALSE, a.getAutomountServiceAccountToken(),
                overlay + " ServiceAccount " + a.getMetadata().getName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theGatewayScalesTwoToTenAndKeepsOneThroughDisruptions(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<HorizontalPodAutoscaler> gateway = m.autoscalers().stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals("api-gateway")).toList();
        assertEquals(1, gateway.size(), overlay + ": one HPA for the gateway");
        HorizontalPodAutoscaler hpa = gateway.get(0);
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(2, hpa.getSpec().getMinReplicas(), overlay + ": HPA minimum");
        assertEquals(10, hpa.getSpec().getMaxReplicas(), overlay + ": HPA maximum");
        assertTrue(m.disruptionBudgets().stream().anyMatch(p -> selects(p, "api-gateway")
                && p.getSpec().getMinAvailable() != null && p.getSpec().getMinAvailable().getIntVal() >= 1),
                overlay + ": a PodDisruptionBudget keeps a gateway");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void statefulServicesHaveOneWriter(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (String name : Manifests.STATEFUL) {
            Deployment d = m.deployment(name);
            String where = overlay + " " + name;
            assertEquals(1, d.getSpec().getReplicas(), where + ": replicas");
            var strategy = d.getSpec().getStrategy();
            // the new pod takes the branch over and the old one steps down; never two serving, never none by choice
            assertEquals("RollingUpdate", strategy.getType(), where + ": strategy");
            assertEquals(1, strategy.getRollingUpdate().getMaxSurge().getIntVal(), where + ": maxSurge");
            assertEquals(0, strategy.getRollingUpdate().getMaxUnavailable().getIntVal(), where + ": maxUnavailable");
            assertTrue(m.autoscalers().stream().noneMatch(h -> h.getSpec().getScaleTargetRef().getName().equals(name)),
                    where + ": must not be autoscaled");
            assertTrue(m.disruptionBudgets().stream().noneMatch(p -> selects(p, name)),
                    where + ": a PDB on one replica blocks node drains");
        }
    }

    private static boolean selects(PodDisruptionBudget budget, String service) {
        return NetworkReach.matches(budget.getSpec().getSelector(), Map.of("app.kubernetes.io/name", service));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void noSecretValueIsInTheManifests(String overlay) {
        Manifests m = Manifests.of(overlay);
        assertTrue(m.raw().stream().noneMatch(o -> o.path("kind").asText().equals("Secret")),
                overlay + ": Secrets are created in the cluster, never rendered from the repository");
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    if (SECRET_NAME.matcher(env.getName()).matches()
                            && (env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null)) {
                        problems.add(d.getMetadata().getName() + " env " + env.getName() + " is not from a Secret");
                    }
                }
            }
        }
        for (ConfigMap cm : m.all(ConfigMap.class)) {
            cm.getData().keySet().stream().filter(k -> SECRET_NAME.matcher(k).matches())
                    .forEach(k -> problems.add("ConfigMap " + cm.getMetadata().getName() + " holds " + k));
        }
        assertEquals(List.of(), problems, overlay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everySecretReferencedIsDocumented(String overlay) throws IOException {
        String docs = Files.readString(Repository.resolve("docs/kubernetes.md"));
        Set<String> referenced = new TreeSet<>();
        for (Deployment d : Manifests.of(overlay).deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            pod.getContainers().forEach(c -> c.getEnv().stream().filter(e -> e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null)
                    .forEach(e -> referenced.add(e.getValueFrom().getSecretKeyRef().getName())));
            pod.getVolumes().stream().filter(v -> v.getSecret() != null)
                    .forEach(v -> referenced.add(v.getSecret().getSecretName()));
            if (pod.getImagePullSecrets() != null) {
                pod.getImagePullSecrets().forEach(s -> referenced.add(s.getName()));
            }
        }
        assertFalse(referenced.isEmpty());
        List<String> undocumented = referenced.stream().filter(name -> !docs.contains("`" + name + "`")).toList();
        assertEquals(List.of(), undocumented, overlay + ": Secrets docs/kubernetes.md does not explain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theImageAndTheManifestsSizeTheJvmAlike(String overlay) throws IOException {
        String dockerfile = Files.readString(Repository.resolve("docker/Dockerfile"));
        Matcher env = Pattern.compile("ENV JAVA_OPTS=\"([^\"]*)\"").matcher(dockerfile);
        assertTrue(env.find(), "docker/Dockerfile sets JAVA_OPTS");
        String manifests = Manifests.of(overlay).configMap("monkeytown-common").getData().get("JAVA_OPTS").trim();
        assertEquals(env.group(1), manifests,
                "the AOT cache is trained with the image's JAVA_OPTS; the ConfigMap must run with the same");
        assertTrue(manifests.contains("MaxRAMPercentage"), "the heap follows the container's memory limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"production"})
    void productionImagesArePinnedOnGhcr(String overlay) {
        for (Deployment d : Manifests.of(overlay).deployments()) {
            String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            assertTrue(image.startsWith("ghcr.io/"), image);
            assertTrue(image.matches(".*:[A-Za-z0-9._-]+$") && !image.endsWith(":latest"), image + " has no fixed tag");
        }
    }

    /** build-service pushes its outputs to artifact-service by its Service name, not to its own localhost. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void buildOutputsGoToArtifactService(String overlay) {
        ConfigMap config = Manifests.of(overlay).all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("build-service")).findFirst().orElseThrow();
        assertEquals("http://artifact-service:8080", config.getData().get("MONKEYTOWN_BUILD_ARTIFACTS_URL"));
    }

    /**
     * GitHub mode unpacks each running build's Actions artifacts into MONKEYTOWN_HOME and stages the files its outputs
     * name beside them (twice the per-run cap at worst): every build allowed to run at once must fit in the data
     * volume with room for logs, or an emptyDir past its sizeLimit gets the pod evicted mid-build.
     */
    @ParameterizedTest
    @ValueSource(strings = {"production"})
    void buildOutputsFitTheBuildServicesDataVolume(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, String> config = m.configMap("build-service").getData();
        // the service's own defaults when the ConfigMap says nothing (BuildConfig)
        long parallelism = Long.parseLong(config.getOrDefault("MONKEYTOWN_BUILD_PARALLELISM", "2"));
        long perRun = quarkusBytes(config.getOrDefault("MONKEYTOWN_BUILD_GITHUB_MAX_RUN_OUTPUT_BYTES", "4G"));
        Volume data = m.deployment("build-service").getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("data")).findFirst().orElseThrow();
        long volume = Quantity.getAmountInBytes(data.getEmptyDir().getSizeLimit()).longValueExact();
        long logs = 256L << 20;
        assertTrue(parallelism * 2 * perRun + logs <= volume, overlay + ": " + parallelism + " builds × 2 × " + perRun
                + " bytes + " + logs + " for logs do not fit the data volume's " + volume + " bytes");
    }

    /** A Quarkus MemorySize ({@code 384M}, {@code 2G}): binary units, as Quarkus reads them. */
    private static long quarkusBytes(String size) {
        char unit = Character.toUpperCase(size.charAt(size.length() - 1));
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? size : size.substring(0, size.length() - 1);
        return Long.parseLong(digits) << shift;
    }

    /**
     * Without GitHub, what the local overlay's deploy-service deploys (the environments' releases and their
     * {@code current} link) and the environment secrets an operator put there must survive the pod: they are the
     * environments themselves, kept nowhere else. Each lands on the state volume, never on the pod's emptyDir.
     */
    @ParameterizedTest
    @ValueSource(strings = {"local"})
    void localDeploymentsAndEnvironmentSecretsOutliveThePod(String overlay) {
        Manifests m = Manifests.of(overlay);
        Deployment deploy = m.deployment("deploy-service");
        Container container = deploy.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnvFrom().stream().filter(from -> from.getConfigMapRef() != null)
                .forEach(from -> env.putAll(m.configMap(from.getConfigMapRef().getName()).getData()));
        String home = env.getOrDefault("MONKEYTOWN_HOME", ".monkeytown");
        for (String[] directory : new String[][]{
                {"MONKEYTOWN_DEPLOY_ENVIRONMENTS_DIRECTORY", home + "/environments"},
                {"MONKEYTOWN_DEPLOY_SECRETS_DIRECTORY", home + "/secrets"}}) {
            String path = env.getOrDefault(directory[0], directory[1]);
            var mount = container.getVolumeMounts().stream()
                    .filter(vm -> path.equals(vm.getMountPath()) || path.startsWith(vm.getMountPath() + "/"))
                    .max(java.util.Comparator.comparingInt(vm -> vm.getMountPath().length()))
                    .orElseThrow(() -> new AssertionError(directory[0] + " " + path + " is on the read-only root"));
            Volume volume = deploy.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertNotNull(volume.getPersistentVolumeClaim(), overlay + ": " + directory[0] + " " + path
                    + " is on volume " + volume.getName() + ", which the pod takes with it");
            // agents and builds run commands in the other pods: a claim they mount would show them the secrets
            String claim = volume.getPersistentVolumeClaim().getClaimName();
            List<String> sharing = m.deployments().stream().filter(d -> d != deploy)
                    .filter(d -> d.getSpec().getTemplate().getSpec().getVolumes().stream()
                            .anyMatch(v -> v.getPersistentVolumeClaim() != null
                                    && claim.equals(v.getPersistentVolumeClaim().getClaimName())))
                    .map(d -> d.getMetadata().getName()).toList();
            assertEquals(List.of(), sharing, overlay + ": " + directory[0] + " is on claim " + claim);
        }
    }

    /**
     * Production carries the alert rules, and every ServiceMonitor scrapes under the one job they select (with the
     * services' own {@code service} label kept): rules that select nothing would never fire.
     */
    @ParameterizedTest
    @ValueSource(strings = {"production"})
    void theAlertRulesShipAndEveryScrapeIsUnderTheJobTheySelect(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<PrometheusRule> rules = m.all(PrometheusRule.class);
        assertEquals(1, rules.size(), "one PrometheusRule in the " + overlay + " render");
        assertTrue(rules.get(0).getSpec().getGroups().stream().flatMap(g -> g.getRules().stream())
                .allMatch(r -> r.getAlert() == null || r.getExpr().getStrVal().contains("job=\"monkeytown\"")
                        || !r.getExpr().getStrVal().contains("job=")),
                "rules select job=\"monkeytown\"");
        List<ServiceMonitor> monitors = m.all(ServiceMonitor.class);
        assertEquals(m.deployments().size(), monitors.size(), "a ServiceMonitor per service");
        for (ServiceMonitor monitor : monitors) {
            for (Endpoint endpoint : monitor.getSpec().getEndpoints()) {
                String where = monitor.getMetadata().getName();
                assertEquals(Boolean.TRUE, endpoint.getHonorLabels(), where + " keeps the services' service label");
                assertTrue(endpoint.getRelabelings().stream().anyMatch(r -> "job".equals(r.getTargetLabel())
                        && "monkeytown".equals(r.getReplacement())), where + " scrapes under job=\"monkeytown\"");
            }
        }
    }

    /** Every pod is held by a policy in both directions: default deny really covers every pod. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyPodIsSelectedByANetworkPolicyBothWays(String overlay) {
        Manifests m = Manifests.of(overlay);
        NetworkReach reach = new NetworkReach(m.networkPolicies());
        for (Deployment d : m.deployments()) {
            Peer pod = Peer.pod(d.getMetadata().getName(), d.getSpec().getTemplate().getMetadata().getLabels(),
                    "monkeytown");
            assertTrue(reach.selectedFor(pod, "Ingress"), overlay + " " + pod.name() + ": no ingress policy");
            assertTrue(reach.selectedFor(pod, "Egress"), overlay + " " + pod.name() + ": no egress policy");
        }
    }

    /**
     * The trust zones as a table: exactly these connections are allowed, every other pair of these peers is denied.
     * Internet means a public address on 443; "cluster 443" a private one (another tenant, the cloud's metadata).
     */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theNetworkPoliciesAreTheTrustZones(String overlay) {
        Manifests m = Manifests.of(overlay);
        NetworkReach reach = new NetworkReach(m.networkPolicies());
        List<Peer> peers = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            peers.add(Peer.pod(d.getMetadata().getName(), d.getSpec().getTemplate().getMetadata().getLabels(),
                    "monkeytown"));
        }
        peers.add(Peer.pod("stranger", Map.of("app", "stranger"), "monkeytown"));
        peers.add(Peer.outside("ingress", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx")));
        peers.add(Peer.outside("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus")));
        peers.add(Peer.outside("other-tenant", "default", Map.of("app", "other")));
        List<Peer> destinations = new ArrayList<>(peers);
        destinations.add(Peer.internet("140.82.112.3"));
        destinations.add(Peer.internet("10.96.0.1"));

        Set<String> allowed = new TreeSet<>();
        for (Peer from : peers) {
            for (Peer to : destinations) {
                if (from == to || (!from.inNamespace() && !to.inNamespace())) {
                    continue;
                }
                if (to.name().startsWith("internet")) {
                    if (reach.allowed(from, to, "https", 443)) {
                        allowed.add(from.name() + " -> " + to.name() + ":443");
                    }
                    continue;
                }
                if (!to.inNamespace()) {
                    continue; // other namespaces' own policies are not ours
                }
                if (reach.allowed(from, to, "http", 8080)) {
                    allowed.add(from.name() + " -> " + to.name() + ":http");
                }
                if (reach.allowed(from, to, "management", 9000)) {
                    allowed.add(from.name() + " -> " + to.name() + ":management");
                }
            }
        }

        Set<String> expected = new TreeSet<>();
        expected.add("ingress -> api-gateway:http");
        for (String service : Manifests.SERVICES) {
            expected.add("prometheus -> " + service + ":management");
            if (!service.equals("api-gateway")) {
                expected.add("api-gateway -> " + service + ":http");
                expected.add("api-gateway -> " + service + ":management");
            }
        }
        for (String producer : Manifests.STATEFUL) {
            expected.add("websocket-service -> " + producer + ":http");
            expected.add(producer + " -> internet 140.82.112.3:443");
        }
        expected.add("build-service -> artifact-service:http");
        expected.add("deploy-service -> artifact-service:http");
        expected.add("deploy-service -> build-service:http");
        Set<String> opened = new TreeSet<>(allowed);
        opened.removeAll(expected);
        Set<String> closed = new TreeSet<>(expected);
        closed.removeAll(allowed);
        assertEquals("", (opened.isEmpty() ? "" : "allowed but not in the trust zones: " + opened)
                + (closed.isEmpty() ? "" : " denied but needed: " + closed), overlay);
    }
}
