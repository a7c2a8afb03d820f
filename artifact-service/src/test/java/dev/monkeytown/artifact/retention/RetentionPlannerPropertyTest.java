package dev.monkeytown.artifact.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import dev.monkeytown.artifact.access.NamePattern;
import dev.monkeytown.artifact.oci.Digest;

/**
 * Randomized registry histories against a simple model of the rules: the planner's dry run must list exactly the
 * manifests the model says should go. The model is written the naive way, one manifest at a time by recursion over
 * what it hangs from, where the planner computes fixpoints over a whole repository, so the two fail differently.
 */
class RetentionPlannerPropertyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofDays(1);

    @RepeatedTest(300)
    void theDryRunListsExactlyWhatTheModelRemoves(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 7919L);
        RetentionPolicy policy = randomPolicy(random);
        List<ArtifactFacts> facts = randomHistory(random);
        Set<String> deployed = new HashSet<>();
        for (ArtifactFacts f : facts) {
            if (random.nextInt(12) == 0) {
                deployed.add(f.reference());
            }
        }
        Set<String> planned = new TreeSet<>();
        RetentionPlanner.plan(facts, policy, deployed, NOW).forEach(r -> planned.add(r.repository() + "@" + r
                .digest()));
        Set<String> expected = new TreeSet<>(new Model(facts, policy, deployed).removed());
        assertEquals(expected, planned, "seed " + repetition.getCurrentRepetition() + ", policy " + policy);
    }

    private static RetentionPolicy randomPolicy(Random random) {
        List<RetentionRule> rules = new ArrayList<>();
        if (random.nextBoolean()) {
            rules.add(new RetentionRule(NamePattern.of("builds/**"),
                    random.nextBoolean() ? OptionalInt.of(random.nextInt(4)) : OptionalInt.empty(),
                    random.nextBoolean() ? Optional.of(Duration.ofDays(random.nextInt(60) + 1)) : Optional.empty(),
                    random.nextBoolean() ? List.of(NamePattern.of("main"), NamePattern.of("release-*")) : List.of()));
        }
        List<RetentionPolicy.ImmutableRule> immutable = random.nextBoolean()
                ? List.of(new RetentionPolicy.ImmutableRule(NamePattern.of("**"), List.of(NamePattern.of("v*"))))
                : List.of();
        return new RetentionPolicy(rules, GRACE, immutable, "random");
    }

    private static List<ArtifactFacts> randomHistory(Random random) {
        List<ArtifactFacts> facts = new ArrayList<>();
        String[] repositories = {"builds/web", "builds/api", "tools/cli"};
        String[] tags = {"main", "release-1", "v1.0", "v2", "latest", "dev", "feature-x"};
        for (String repository : repositories) {
            List<Digest> earlier = new ArrayList<>();
            int count = random.nextInt(10);
            for (int i = 0; i < count; i++) {
                Digest digest = Digest.of((repository + i + random.nextLong()).getBytes(StandardCharsets.UTF_8));
                Set<String> tagged = new HashSet<>();
                if (random.nextInt(3) > 0) {
                    tagged.add(tags[random.nextInt(tags.length)]);
                }
                Instant pushed = NOW.minus(Duration.ofHours(random.nextInt(24 * 400)));
                Optional<Instant> pulled = random.nextBoolean()
                        ? Optional.of(NOW.minus(Duration.ofHours(random.nextInt(24 * 400))))
                        : Optional.empty();
                List<Digest> children = new ArrayList<>();
                Optional<Digest> subject = Optional.empty();
                int kind = random.nextInt(5);
                if (kind == 0 && !earlier.isEmpty()) {
                    children.add(earlier.get(random.nextInt(earlier.size())));
                } else if (kind == 1) {
                    subject = Optional.of(earlier.isEmpty() || random.nextInt(3) == 0
                            ? Digest.of(("gone" + random.nextLong()).getBytes(StandardCharsets.UTF_8))
                            : earlier.get(random.nextInt(earlier.size())));
                    tagged.clear();
                }
                // tags are unique within a repository: the newest push holds it
                for (ArtifactFacts other : facts) {
                    if (other.repository().equals(repository)) {
                        tagged.removeAll(other.tags());
                    }
                }
                facts.add(new ArtifactFacts(repository, digest, tagged, pushed, pulled, children, subject, 100));
                earlier.add(digest);
            }
        }
        return facts;
    }

    /** The rules, one manifest at a time. */
    private static final class Model {

        private final Map<String, ArtifactFacts> byReference = new HashMap<>();
        private final List<ArtifactFacts> facts;
        private final RetentionPolicy policy;
        private final Set<String> deployed;
        private final Map<String, Boolean> keptMemo = new HashMap<>();
        private final Map<String, Boolean> removedMemo = new HashMap<>();

        Model(List<ArtifactFacts> facts, RetentionPolicy policy, Set<String> deployed) {
            this.facts = facts;
            this.policy = policy;
            this.deployed = deployed;
            facts.forEach(f -> byReference.put(f.reference(), f));
        }

        Set<String> removed() {
            Set<String> removed = new HashSet<>();
            for (ArtifactFacts f : facts) {
                if (removed(f)) {
                    removed.add(f.reference());
                }
            }
            return removed;
        }

        private Optional<ArtifactFacts> find(String repository, Digest digest) {
            return Optional.ofNullable(byReference.get(repository + "@" + digest));
        }

        private boolean kept(ArtifactFacts f) {
            Boolean memo = keptMemo.get(f.reference());
            if (memo != null) {
                return memo;
            }
            keptMemo.put(f.reference(), false); // histories are acyclic; this only guards the recursion
            boolean kept = deployed.contains(f.reference())
                    || f.tags().stream().anyMatch(t -> policy.immutablePattern(f.repository(), t).isPresent())
                    || (!f.tags().isEmpty() && f.subject().isEmpty() && ruleKeeps(f))
                    || facts.stream().anyMatch(p -> p.repository().equals(f.repository())
                            && p.children().contains(f.digest()) && kept(p))
                    || (f.subject().isPresent() && find(f.repository(), f.subject().get()).map(this::kept)
                            .orElse(false));
            keptMemo.put(f.reference(), kept);
            return kept;
        }

        private boolean ruleKeeps(ArtifactFacts f) {
            RetentionRule rule = policy.ruleFor(f.repository());
            if (rule.keepWithin().isPresent() && !f.lastUsed().isBefore(NOW.minus(rule.keepWithin().get()))) {
                return true;
            }
            if (rule.keepTags().stream().anyMatch(p -> f.tags().stream().anyMatch(p::matches))) {
                return true;
            }
            if (rule.keepLatest().isPresent()) {
                long newer = facts.stream().filter(o -> o.repository().equals(f.repository()) && !o.tags().isEmpty()
                        && o.subject().isEmpty()
                        && (o.pushedAt().isAfter(f.pushedAt()) || (o.pushedAt().equals(f.pushedAt())
                                && o.digest().toString().compareTo(f.digest().toString()) < 0)))
                        .count();
                return newer < rule.keepLatest().getAsInt();
            }
            return false;
        }

        private boolean removed(ArtifactFacts f) {
            Boolean memo = removedMemo.get(f.reference());
            if (memo != null) {
                return memo;
            }
            removedMemo.put(f.reference(), false);
            boolean pastGrace = f.lastUsed().isBefore(NOW.minus(GRACE));
            boolean removed;
            if (kept(f)) {
                removed = false;
            } else if (f.subject().isPresent()) {
                Optional<ArtifactFacts> subject = find(f.repository(), f.subject().get());
                removed = subject.isPresent() ? removed(subject.get()) : pastGrace;
            } else if (!f.tags().isEmpty()) {
                removed = true;
            } else {
                List<ArtifactFacts> parents = facts.stream().filter(p -> p.repository().equals(f.repository())
                        && p.children().contains(f.digest())).toList();
                removed = parents.isEmpty() ? pastGrace : parents.stream().allMatch(this::removed);
            }
            removedMemo.put(f.reference(), removed);
            return removed;
        }
    }
}
