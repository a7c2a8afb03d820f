package dev.monkeytown.artifact.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.monkeytown.artifact.access.NamePattern;
import dev.monkeytown.artifact.oci.Digest;

/**
 * Decides what a retention run removes. Pure: facts, policy, deployments and time in, removals out, so the dry run
 * and the real run agree and the rules can be tested against a model without a registry.
 * <p>
 * Per repository, in this order:
 * <ol>
 * <li>Always kept: what a deployment references (current or last good), manifests with an immutable tag, and
 * whatever a kept index includes.</li>
 * <li>A tagged manifest is kept if its repository's rule keeps it: among the {@code keepLatest} most recently pushed
 * tagged manifests, pushed or pulled within {@code keepWithin}, or a tag matching {@code keepTags}. No rule for the
 * repository: pushed or pulled within six months.</li>
 * <li>An untagged manifest (not a referrer) is removed once neither pushed nor pulled for the untagged grace.</li>
 * <li>A referrer follows its subject: kept while its subject is kept; once its subject is gone (an orphan) it is
 * removed after the grace.</li>
 * </ol>
 */
public final class RetentionPlanner {

    private RetentionPlanner() {
    }

    public static List<Removal> plan(List<ArtifactFacts> facts, RetentionPolicy policy, Set<String> deployed,
            Instant now) {
        Map<String, List<ArtifactFacts>> byRepository = facts.stream()
                .collect(Collectors.groupingBy(ArtifactFacts::repository));
        List<Removal> removals = new ArrayList<>();
        byRepository.keySet().stream().sorted()
                .forEach(repository -> removals.addAll(planRepository(byRepository.get(repository), policy, deployed,
                        now)));
        return removals;
    }

    private static List<Removal> planRepository(List<ArtifactFacts> manifests, RetentionPolicy policy,
            Set<String> deployed, Instant now) {
        String repository = manifests.get(0).repository();
        RetentionRule rule = policy.ruleFor(repository);
        Map<Digest, ArtifactFacts> byDigest = new HashMap<>();
        manifests.forEach(m -> byDigest.put(m.digest(), m));
        Set<Digest> kept = new HashSet<>();

        Set<Digest> keptByRule = keptTagged(manifests, rule, now);
        for (ArtifactFacts m : manifests) {
            boolean protectedHere = deployed.contains(m.reference())
                    || m.tags().stream().anyMatch(t -> policy.immutablePattern(repository, t).isPresent());
            if (protectedHere || keptByRule.contains(m.digest())) {
                kept.add(m.digest());
            }
        }
        // a kept index keeps what it includes, a kept manifest keeps its referrers (signatures, SBOMs), however deep
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ArtifactFacts m : manifests) {
                if (kept.contains(m.digest())) {
                    for (Digest child : m.children()) {
                        grew |= byDigest.containsKey(child) && kept.add(child);
                    }
                } else if (m.subject().isPresent() && kept.contains(m.subject().get())) {
                    grew |= kept.add(m.digest());
                }
            }
        }
        Instant graceStart = now.minus(policy.untaggedGrace());
        Map<Digest, String> removed = new HashMap<>();
        // what is not kept goes by its own rule, or with what it hangs from: repeated until nothing changes, since a
        // referrer may refer to a referrer and an index may include an index
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ArtifactFacts m : manifests) {
                if (kept.contains(m.digest()) || removed.containsKey(m.digest())) {
                    continue;
                }
                String reason = reasonToRemove(m, byDigest, manifests, removed, rule, graceStart, policy);
                if (reason != null) {
                    removed.put(m.digest(), reason);
                    changed = true;
                }
            }
        }
        List<Removal> removals = new ArrayList<>();
        for (ArtifactFacts m : manifests) {
            String reason = removed.get(m.digest());
            if (reason != null) {
                removals.add(new Removal(repository, m.digest().toString(), m.tags().stream().sorted().toList(),
                        m.size(), reason));
            }
        }
        removals.sort(Comparator.comparing(Removal::digest));
        return removals;
    }

    private static String reasonToRemove(ArtifactFacts m, Map<Digest, ArtifactFacts> byDigest,
            List<ArtifactFacts> manifests, Map<Digest, String> removed, RetentionRule rule, Instant graceStart,
            RetentionPolicy policy) {
        boolean pastGrace = m.lastUsed().isBefore(graceStart);
        if (m.subject().isPresent()) {
            Digest subject = m.subject().get();
            if (removed.containsKey(subject)) {
                return "its subject " + subject + " is removed";
            }
            return !byDigest.containsKey(subject) && pastGrace
                    ? "orphan referrer: its subject is gone for longer than " + format(policy.untaggedGrace())
                    : null;
        }
        if (!m.tags().isEmpty()) {
            return "no retention rule keeps it (" + describe(rule) + ")";
        }
        List<ArtifactFacts> parents = manifests.stream().filter(p -> p.children().contains(m.digest())).toList();
        if (!parents.isEmpty()) {
            return parents.stream().allMatch(p -> removed.containsKey(p.digest()))
                    ? "every index including it is removed"
                    : null;
        }
        return pastGrace ? "untagged for longer than " + format(policy.untaggedGrace()) : null;
    }

    private static Set<Digest> keptTagged(List<ArtifactFacts> manifests, RetentionRule rule, Instant now) {
        List<ArtifactFacts> tagged = manifests.stream().filter(m -> !m.tags().isEmpty() && m.subject().isEmpty())
                .sorted(Comparator.comparing(ArtifactFacts::pushedAt).reversed()
                        .thenComparing(m -> m.digest().toString()))
                .toList();
        Set<Digest> kept = new HashSet<>();
        rule.keepLatest().ifPresent(n -> tagged.stream().limit(n).forEach(m -> kept.add(m.digest())));
        rule.keepWithin().ifPresent(window -> tagged.stream().filter(m -> !m.lastUsed().isBefore(now.minus(window)))
                .forEach(m -> kept.add(m.digest())));
        for (ArtifactFacts m : tagged) {
            for (NamePattern pattern : rule.keepTags()) {
                if (m.tags().stream().anyMatch(pattern::matches)) {
                    kept.add(m.digest());
                }
            }
        }
        return kept;
    }

    private static String describe(RetentionRule rule) {
        List<String> parts = new ArrayList<>();
        rule.keepLatest().ifPresent(n -> parts.add("keep latest " + n));
        rule.keepWithin().ifPresent(w -> parts.add("keep used within " + format(w)));
        if (!rule.keepTags().isEmpty()) {
            parts.add("keep tags " + rule.keepTags());
        }
        return "rule " + rule.repositories() + (parts.isEmpty() ? ": keeps nothing" : ": " + String.join(", ", parts));
    }

    static String format(java.time.Duration duration) {
        if (duration.toDays() > 0 && duration.toHours() % 24 == 0) {
            return duration.toDays() + "d";
        }
        if (duration.toHours() > 0 && duration.toMinutes() % 60 == 0) {
            return duration.toHours() + "h";
        }
        return duration.toMinutes() + "m";
    }
}
