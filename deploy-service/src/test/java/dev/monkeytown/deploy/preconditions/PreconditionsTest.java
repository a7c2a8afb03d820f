package dev.monkeytown.deploy.preconditions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.monkeytown.deploy.environment.Environment;

class PreconditionsTest {

    private static final String SHA = "a".repeat(40);
    private static final String TREE = "b".repeat(40);
    private static final String OTHER_SHA = "c".repeat(40);

    private final Map<String, List<BuildRecord>> builds = new java.util.HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final Preconditions preconditions = new Preconditions(new BuildRecords() {
        @Override
        public List<BuildRecord> succeeded(String pipeline) {
            asked.add(pipeline);
            return builds.getOrDefault(pipeline, List.of());
        }

        @Override
        public Optional<BuildRecord> build(String id) {
            return Optional.empty();
        }
    });

    @Test
    void everyRequiredPipelineMustHaveSucceededForTheCommit() throws Exception {
        Environment staging = environment(List.of("site", "api"));
        builds.put("site", List.of(build("S1", "site", SHA, TREE)));
        Preconditions.Verdict verdict = preconditions.check(staging, SHA, TREE);
        assertTrue(assertInstanceOf(Preconditions.Verdict.Unmet.class, verdict).why().contains("api"));
        builds.put("api", List.of(build("A1", "api", SHA, TREE)));
        List<String> used = assertInstanceOf(Preconditions.Verdict.Met.class, preconditions.check(staging, SHA, TREE))
                .artifacts().stream().map(a -> a.buildId()).toList();
        assertEquals(List.of("S1", "A1"), used);
        assertEquals("builds/site@sha256:" + "1".repeat(64), assertInstanceOf(Preconditions.Verdict.Met.class,
                preconditions.check(staging, SHA, TREE)).artifacts().get(0).reference());
    }

    @Test
    void anIdenticalTreeIsReusedButTheCommitsOwnBuildIsPreferred() throws Exception {
        Environment staging = environment(List.of("site"));
        builds.put("site", List.of(build("S2", "site", OTHER_SHA, TREE)));
        assertEquals("S2", assertInstanceOf(Preconditions.Verdict.Met.class, preconditions.check(staging, SHA, TREE))
                .artifacts().get(0).buildId());
        builds.put("site", List.of(build("S3", "site", OTHER_SHA, TREE), build("S1", "site", SHA, TREE)));
        assertEquals("S1", assertInstanceOf(Preconditions.Verdict.Met.class, preconditions.check(staging, SHA, TREE))
                .artifacts().get(0).buildId());
    }

    @Test
    void aBuildOfAnotherTreeOrThatDidNotSucceedDoesNotCount() throws Exception {
        Environment staging = environment(List.of("site"));
        builds.put("site", List.of(build("S1", "site", OTHER_SHA, "d".repeat(40)),
                new BuildRecord("S2", "site", SHA, TREE, "failed", List.of(), null)));
        assertInstanceOf(Preconditions.Verdict.Unmet.class, preconditions.check(staging, SHA, TREE));
    }

    @Test
    void noRequirementsAreMetWithoutAskingBuildService() throws Exception {
        Preconditions.Verdict verdict = preconditions.check(environment(List.of()), SHA, TREE);
        assertEquals(List.of(), assertInstanceOf(Preconditions.Verdict.Met.class, verdict).artifacts());
        assertEquals(List.of(), asked);
    }

    private static BuildRecord build(String id, String pipeline, String sha, String tree) {
        return new BuildRecord(id, pipeline, sha, tree, "succeeded",
                List.of(new BuildRecord.Output("dist/site/index.html", "sha256:" + "0".repeat(64), 10)),
                new BuildRecord.Stored("builds/" + pipeline, "sha256:" + "1".repeat(64)));
    }

    private static Environment environment(List<String> requires) {
        return new Environment("staging", "main", true, false, false, requires, "./deploy.sh", Optional.empty(),
                Environment.OnFailure.REVERT, Duration.ofMinutes(1));
    }
}
