package dev.monkeytown.deploy.engine;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.quarkus.logging.Log;

import dev.monkeytown.deploy.deployments.Artifact;
import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.Ledger;

/**
 * Tells the registry what each environment references whenever that changed (a deployment got its commit, a success,
 * a revert); one that could not be told is told at a later turn. Owned by the engine's loop.
 */
final class ReferenceReporter {

    private final ArtifactReferences references;
    /** What the registry last accepted, per environment: [current, last good]. */
    private final Map<String, List<List<String>>> reported = new HashMap<>();

    ReferenceReporter(ArtifactReferences references) {
        this.references = references;
    }

    void report(Collection<Ledger> ledgers) {
        for (Ledger ledger : ledgers) {
            List<String> current = manifests(ledger.current());
            List<String> lastGood = manifests(ledger.lastGood());
            List<List<String>> now = List.of(current, lastGood);
            if (now.equals(reported.get(ledger.environment())) || (current.isEmpty() && lastGood.isEmpty())) {
                continue;
            }
            try {
                references.record(ledger.environment(), current, lastGood);
                reported.put(ledger.environment(), now);
            } catch (IOException | RuntimeException e) {
                Log.warnf("Could not tell the registry what %s references (tried again): %s", ledger.environment(),
                        e.toString());
            }
        }
    }

    private static List<String> manifests(Optional<Deployment> deployment) {
        return deployment.map(d -> d.artifacts().stream().map(Artifact::reference).filter(Objects::nonNull).toList())
                .orElse(List.of());
    }
}
