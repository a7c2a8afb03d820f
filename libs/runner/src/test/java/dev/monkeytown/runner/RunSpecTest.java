package dev.monkeytown.runner;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    void theDeliverBranchMustBeABranchName() {
        assertThrows(IllegalArgumentException.class, () -> new RunSpec("r1", "main", TRUE, Optional.empty(), Map.of(),
                Optional.of("agents/x/../y"), Map.of(), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new RunSpec("r1", "main", TRUE, Optional.empty(), Map.of(),
                Optional.empty(), Map.of(), Duration.ZERO));
    }

    private static RunSpec spec(String id, Optional<List<String>> command, Map<String, String> env,
            Map<String, String> secrets) {
        return new RunSpec(id, "main", command, Optional.empty(), env, Optional.empty(), secrets,
                Duration.ofMinutes(1));
    }
}
