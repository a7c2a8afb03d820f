package dev.monkeytown.artifact.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.monkeytown.artifact.oci.Digest;

/** The rules one by one, each with the case that would break it. */
class RetentionPlannerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void theDefaultRemovesWhatWasNeitherPushedNorPulledForSixMonths() {
        ArtifactFacts stale = tagged("old", NOW.minus(Duration.ofDays(200)), Optional.empty());
        ArtifactFacts pulled = tagged("used", NOW.minus(Duration.ofDays(300)), Optional.of(NOW.minus(Duration
                .ofDays(10))));
        ArtifactFacts fresh = tagged("new", NOW.minus(Duration.ofDays(20)), Optional.empty());
        assertEquals(List.of(stale.digest().toString()), digests(RetentionPlanner.plan(List.of(stale, pulled, fresh),
                RetentionPolicy.defaults(), Set.of(), NOW)));
    }

    @Test
    void whatADeploymentReferencesIsNeverRemoved() {
        ArtifactFacts stale = tagged("old", NOW.minus(Duration.ofDays(900)), Optional.empty());
        assertTrue(RetentionPlanner.plan(List.of(stale), RetentionPolicy.defaults(), Set.of(stale.reference()), NOW)
                .isEmpty());
    }

    @Test
    void keepLatestKeepsTheNewestPushes() throws Exception {
        RetentionPolicy policy = RetentionFile.parse("rules:\n  - repositories: \"builds/**\"\n    keepLatest: 2\n",
                "test");
        ArtifactFacts a = tagged("a", NOW.minus(Duration.ofDays(3)), Optional.empty());
        ArtifactFacts b = tagged("b", NOW.minus(Duration.ofDays(2)), Optional.empty());
        ArtifactFacts c = tagged("c", NOW.minus(Duration.ofDays(1)), Optional.empty());
        assertEquals(List.of(a.digest().toString()), digests(RetentionPlanner.plan(List.of(a, b, c), policy, Set.of(),
                NOW)));
    }

    @Test
    void immutableTagsAreKeptWhateverTheRules() throws Exception {
        RetentionPolicy policy = RetentionFile.parse("immutableTags:\n  - repositories: \"**\"\n    tags: [\"v*\"]\n"
                + "rules:\n  - repositories: \"**\"\n    keepLatest: 0\n", "test");
        ArtifactFacts release = tagged("v1.0", NOW.minus(Duration.ofDays(900)), Optional.empty());
        ArtifactFacts dev = tagged("dev", NOW.minus(Duration.ofDays(900)), Optional.empty());
        assertEquals(List.of(dev.digest().toString()), digests(RetentionPlanner.plan(List.of(release, dev), policy,
                Set.of(), NOW)));
    }

    @Test
    void referrersFollowTheirSubjectAndOrphansGoAfterTheGrace() {
        ArtifactFacts image = tagged("old", NOW.minus(Duration.ofDays(900)), Optional.empty());
        ArtifactFacts signature = referrer(image.digest(), NOW.minus(Duration.ofDays(1)));
        ArtifactFacts freshOrphan = referrer(Digest.of(bytes("gone")), NOW.minus(Duration.ofHours(2)));
        ArtifactFacts oldOrphan = referrer(Digest.of(bytes("gone too")), NOW.minus(Duration.ofDays(3)));
        List<String> removed = digests(RetentionPlanner.plan(List.of(image, signature, freshOrphan, oldOrphan),
                RetentionPolicy.defaults(), Set.of(), NOW));
        assertEquals(Set.of(image.digest().toString(), signature.digest().toString(), oldOrphan.digest()
                .toString()), Set.copyOf(removed));
    }

    @Test
    void unknownKeysInTheFileAreRefused() {
        assertThrows(RetentionFile.Invalid.class, () -> RetentionFile.parse(
                "rules:\n  - repositories: \"**\"\n    keeplatest: 3\n", "test"));
        assertThrows(RetentionFile.Invalid.class, () -> RetentionFile.parse("untaggedGrace: soon\n", "test"));
    }

    private static ArtifactFacts tagged(String tag, Instant pushed, Optional<Instant> pulled) {
        return new ArtifactFacts("builds/web", Digest.of(bytes(tag)), Set.of(tag), pushed, pulled, List.of(),
                Optional.empty(), 10);
    }

    private static ArtifactFacts referrer(Digest subject, Instant pushed) {
        return new ArtifactFacts("builds/web", Digest.of(bytes("ref" + subject + pushed)), Set.of(), pushed,
                Optional.empty(), List.of(), Optional.of(subject), 10);
    }

    private static List<String> digests(List<Removal> removals) {
        return removals.stream().map(Removal::digest).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
