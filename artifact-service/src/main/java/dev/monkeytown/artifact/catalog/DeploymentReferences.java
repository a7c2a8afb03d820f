package dev.monkeytown.artifact.catalog;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

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

    /** The references into repositories {@code visible} accepts, for a caller who may not see them all. */
    public DeploymentReferences limitedTo(Predicate<String> visible) {
        Predicate<String> inVisible = reference -> visible.test(repositoryOf(reference));
        return new DeploymentReferences(current.stream().filter(inVisible).toList(),
                lastGood.stream().filter(inVisible).toList(), updatedAt, updatedBy);
    }

    /** The repository of {@code <repository>@sha256:<hex>}; the PUT refuses references of any other shape. */
    static String repositoryOf(String reference) {
        int at = reference.indexOf('@');
        return at < 0 ? reference : reference.substring(0, at);
    }
}
