package dev.monkeytown.runner;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RunSpecTest {

    private static final Optional<List<String>> TRUE = Optional.of(List.of("true"));

    @Test
    void idsThatCouldEscapeADirectoryAreRefused() {
        for (String bad : List.of("../x", "a/b", "", ".hidden", "a b", "x".repeat(101))) {
            assertThrows(IllegalArgumentException.class, () -> spec(bad, TRUE, Map.of(), Map.of()), bad);
        }
        assertDoesNotThrow(() -> spec("01JAAAAAAAAAAAAAAAAAAAAAAA", TRUE, Map.of(), Map.of()));
        assertDoesNotThrow(() -> spec("build-42_attempt-2", TRUE, Map.of(), Map.of()));
    }

    @Test
    void aRunNeedsACommandOrAWorkflow() {
        assertThrows(IllegalArgumentException.class, () -> spec("r1", Optional.empty(), Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> spec("r1", Optional.of(List.of()), Map.of(), Map.of()));
    }

    @Test
    void variablesMustBeNamesAndNeverBothPlainAndSecret() {
        assertThrows(IllegalArgumentException.class, () -> spec("r1", TRUE, Map.of("A=B", "x"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> spec("r1", TRUE, Map.of("KEY", "x"), Map.of("KEY", "y")));
    }

    @Test
    void theSuitesVariablesTheRunnersAndSecretsCannotBeInherited() {
        for (String name : List.of("MONKEYTOWN_INTERNAL_TOKEN", "MONKEYTOWN_HOME", "HOME", "TMPDIR", "GITHUB_TOKEN",
                "NPM_TOKEN", "DB_PASSWORD", "A=B")) {
            assertThrows(IllegalArgumentException.class, () -> RunSpec.builder("r1", "main", Duration.ofMinutes(1))
                    .command(TRUE).inherit(Set.of(name)).build(), name);
        }
        assertEquals(Set.of("JAVA_HOME"), RunSpec.builder("r1", "main", Duration.ofMinutes(1)).command(TRUE)
                .inherit(Set.of("JAVA_HOME")).build().inherit());
    }

    @Test
    void aCommitIsAFullCommitId() {
        assertThrows(IllegalArgumentException.class, () -> RunSpec.builder("r1", "main", Duration.ofMinutes(1))
                .command(TRUE).commit("abc123").build());
        String sha = "0123456789abcdef0123456789abcdef01234567";
        assertEquals(Optional.of(sha), RunSpec.builder("r1", "main", Duration.ofMinutes(1)).command(TRUE).commit(sha)
                .build().commit());
    }

    @Test
    void theRunIdInputIsTheRunnersToSet() {
        assertThrows(IllegalArgumentException.class,
                () -> new RunSpec.WorkflowCall("build.yml", "run_id", Map.of("run_id", "forged")));
        assertEquals(Map.of("run_id", "b-1", "sha", "abc"),
                new RunSpec.WorkflowCall("build.yml", "run_id", Map.of("sha", "abc")).inputsFor("b-1"));
    }

    @Test
    void theDeliverBranchMustBeABranchName() {
        assertThrows(IllegalArgumentException.class, () -> RunSpec.builder("r1", "main", Duration.ofMinutes(1))
                .command(TRUE).deliverBranch("agents/x/../y").build());
        assertThrows(IllegalArgumentException.class, () -> RunSpec.builder("r1", "main", Duration.ZERO)
                .command(TRUE).build());
    }

    private static RunSpec spec(String id, Optional<List<String>> command, Map<String, String> env,
            Map<String, String> secrets) {
        return RunSpec.builder(id, "main", Duration.ofMinutes(1)).command(command).environment(env).secrets(secrets)
                .build();
    }
}
