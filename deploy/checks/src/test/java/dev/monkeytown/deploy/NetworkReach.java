package dev.monkeytown.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * Evaluates NetworkPolicies the way the API defines them, for the peers the suite cares about: a connection is allowed
 * when a policy selecting the destination admits it on ingress and a policy selecting the source admits it on egress
 * (or no policy of that direction selects the pod). Named ports are matched by name, as the manifests use them.
 */
final class NetworkReach {

    /** A pod (or an outside endpoint) with its labels and its namespace's labels. */
    record Peer(String name, Map<String, String> labels, Map<String, String> namespaceLabels, boolean inNamespace,
            String ip) {

        static Peer pod(String name, Map<String, String> labels, String namespace) {
            return new Peer(name, labels, Map.of("kubernetes.io/metadata.name", namespace), true, "10.1.2.3");
        }

        static Peer outside(String name, String namespace, Map<String, String> labels) {
            return new Peer(name, labels, Map.of("kubernetes.io/metadata.name", namespace), false, "10.9.8.7");
        }

        static Peer internet(String ip) {
            return new Peer("internet " + ip, Map.of(), Map.of(), false, ip);
        }
    }

    private final List<NetworkPolicy> policies;

    NetworkReach(List<NetworkPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    boolean allowed(Peer from, Peer to, String port, int number) {
        return ingressAllows(from, to, port, number) && egressAllows(from, to, port, number);
    }

    boolean selectedFor(Peer pod, String policyType) {
        return pod.inNamespace() && policies.stream().anyMatch(p -> p.getSpec().getPolicyTypes().contains(policyType)
                && matches(p.getSpec().getPodSelector(), pod.labels()));
    }

    private boolean ingressAllows(Peer from, Peer to, String port, int number) {
        if (!to.inNamespace()) {
            return true; // outside our namespace: not ours to police
        }
        List<NetworkPolicy> selecting = selecting(to, "Ingress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().flatMap(p -> p.getSpec().getIngress().stream())
                .anyMatch(rule -> admits(rule.getFrom(), from) && portMatches(rule.getPorts(), port, number));
    }

    private boolean egressAllows(Peer from, Peer to, String port, int number) {
        if (!from.inNamespace()) {
            return true;
        }
        List<NetworkPolicy> selecting = selecting(from, "Egress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().flatMap(p -> p.getSpec().getEgress().stream())
                .anyMatch(rule -> admits(rule.getTo(), to) && portMatches(rule.getPorts(), port, number));
    }

    private List<NetworkPolicy> selecting(Peer pod, String type) {
        List<NetworkPolicy> found = new ArrayList<>();
        for (NetworkPolicy policy : policies) {
            if (policy.getSpec().getPolicyTypes().contains(type)
                    && matches(policy.getSpec().getPodSelector(), pod.labels())) {
                found.add(policy);
            }
        }
        return found;
    }

    private static boolean admits(List<NetworkPolicyPeer> peers, Peer peer) {
        if (peers == null || peers.isEmpty()) {
            return true; // an empty from/to list means every peer
        }
        for (NetworkPolicyPeer candidate : peers) {
            if (candidate.getIpBlock() != null) {
                if (Cidr.contains(candidate.getIpBlock().getCidr(), peer.ip()) && candidate.getIpBlock().getExcept()
                        .stream().noneMatch(except -> Cidr.contains(except, peer.ip()))) {
                    return true;
                }
                continue;
            }
            boolean namespaceOk = candidate.getNamespaceSelector() == null
                    ? peer.inNamespace()
                    : matches(candidate.getNamespaceSelector(), peer.namespaceLabels());
            boolean podOk = candidate.getPodSelector() == null || matches(candidate.getPodSelector(), peer.labels());
            if (namespaceOk && podOk && (peer.inNamespace() || candidate.getNamespaceSelector() != null)) {
                return true;
            }
        }
        return false;
    }

    private static boolean portMatches(List<NetworkPolicyPort> ports, String name, int number) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(p -> p.getPort() == null || Objects.equals(p.getPort().getStrVal(), name)
                || Objects.equals(p.getPort().getIntVal(), number));
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> label : selector.getMatchLabels().entrySet()) {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                boolean ok = switch (requirement.getOperator()) {
                    case "In" -> value != null && requirement.getValues().contains(value);
                    case "NotIn" -> value == null || !requirement.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new IllegalArgumentException("operator " + requirement.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** IPv4 CIDR containment, enough for the policies' ipBlocks. */
    static final class Cidr {
        private Cidr() {
        }

        static boolean contains(String cidr, String ip) {
            String[] parts = cidr.split("/");
            int bits = Integer.parseInt(parts[1]);
            long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
            return (toLong(parts[0]) & mask) == (toLong(ip) & mask);
        }

        private static long toLong(String ip) {
            long value = 0;
            for (String octet : ip.split("\\.")) {
                value = (value << 8) | Integer.parseInt(octet);
            }
            return value;
        }
    }
}
