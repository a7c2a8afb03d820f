package dev.monkeytown.artifact.catalog;

import java.time.Instant;
import java.util.List;

/**
 * What deploy-service says one environment runs: the artifacts of its current deployment and of its last good one.
 * Retention never removes them, and deleting them by hand is refused, whatever the rules say.
 *
 * @param current manifests of the current deployment, as {@code <repository>@sha256:<hex>}
 * @param lastGood manifests of the last good deployment, the same way
 */
public record DeploymentReferences(List<String> current, List<String> lastGood, Instant updatedAt, String updatedBy) {

    public DeploymentReferences {
        current = current == null ? List.of() : List.copyOf(current);
        lastGood = lastGood == null ? List.of() : List.copyOf(lastGood);
    }
}
