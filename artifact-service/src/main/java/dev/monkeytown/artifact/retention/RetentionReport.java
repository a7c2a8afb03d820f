package dev.monkeytown.artifact.retention;

import java.time.Instant;
import java.util.List;

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
}
