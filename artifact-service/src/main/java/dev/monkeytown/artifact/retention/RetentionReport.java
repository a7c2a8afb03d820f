package dev.monkeytown.artifact.retention;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * One retention run as recorded on the branch ({@code retention/runs/<yyyy>/<mm>/<dd>/<id>.json}): what the rules
 * chose, what was removed (nothing in a dry run) and what could not be.
 *
 * @param reclaimableBytes bytes of blobs that no remaining manifest would need once the removals are done
 * @param failures removals refused when tried (e.g. a deployment recorded meanwhile), with the reason
 */
public record RetentionReport(String id, Instant startedAt, Instant finishedAt, boolean dryRun, String triggeredBy,
        String policy, List<Removal> candidates, List<String> removed, List<String> failures,
        long reclaimableBytes) {

    public RetentionReport {
        candidates = List.copyOf(candidates);
        removed = List.copyOf(removed);
        failures = List.copyOf(failures);
    }

    /**
     * The report as a caller who sees only the repositories {@code visible} accepts may read it. The byte total stays
     * the run's: one figure for the registry that names no repository.
     */
    public RetentionReport limitedTo(Predicate<String> visible) {
        // removed and failures are "<repository>@<digest>[: reason]"
        Predicate<String> named = entry -> visible.test(entry.substring(0, Math.max(0, entry.indexOf('@'))));
        return new RetentionReport(id, startedAt, finishedAt, dryRun, triggeredBy, policy,
                candidates.stream().filter(c -> visible.test(c.repository())).toList(),
                removed.stream().filter(named).toList(), failures.stream().filter(named).toList(), reclaimableBytes);
    }
}
