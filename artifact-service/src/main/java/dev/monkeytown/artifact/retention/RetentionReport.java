package dev.monkeytown.artifact.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One retention run as recorded on the branch ({@code retention/runs/<yyyy>/<mm>/<dd>/<id>.json}): what the rules
 * chose, what was removed (nothing in a dry run) and what could not be.
 *
 * @param reclaimableBytes bytes of blobs that no remaining manifest would need once the removals are done
 * @param failures removals refused when tried (e.g. a deployment recorded meanwhile, or changed since the plan), with
 *        the reason
 * @param reclaimableByRepository the same bytes by repository: each freed blob counted once, in the first repository
 *        (in name order) whose removed manifests use it, so the entries add up to {@code reclaimableBytes}
 */
public record RetentionReport(String id, Instant startedAt, Instant finishedAt, boolean dryRun, String triggeredBy,
        String policy, List<Removal> candidates, List<String> removed, List<String> failures,
        long reclaimableBytes, Map<String, Long> reclaimableByRepository) {

    public RetentionReport {
        candidates = List.copyOf(candidates);
        removed = List.copyOf(removed);
        failures = List.copyOf(failures);
        // reports recorded before the split have none
        reclaimableByRepository = reclaimableByRepository == null ? null : Map.copyOf(reclaimableByRepository);
    }

    /**
     * The report as a caller who sees only the repositories {@code visible} accepts may read it: its candidates,
     * removals and failures, and the reclaimable bytes of those repositories only (a registry-wide figure would tell a
     * scoped token how much the others hold). A report recorded without the split shows its total only to a caller who
     * sees every candidate.
     */
    public RetentionReport limitedTo(Predicate<String> visible) {
        // removed and failures are "<repository>@<digest>[: reason]"
        Predicate<String> named = entry -> visible.test(entry.substring(0, Math.max(0, entry.indexOf('@'))));
        Map<String, Long> split = reclaimableByRepository == null
                ? null
                : reclaimableByRepository.entrySet().stream().filter(e -> visible.test(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        long bytes = split != null
                ? split.values().stream().mapToLong(Long::longValue).sum()
                : candidates.stream().allMatch(c -> visible.test(c.repository())) ? reclaimableBytes : 0;
        return new RetentionReport(id, startedAt, finishedAt, dryRun, triggeredBy, policy,
                candidates.stream().filter(c -> visible.test(c.repository())).toList(),
                removed.stream().filter(named).toList(), failures.stream().filter(named).toList(), bytes, split);
    }
}
