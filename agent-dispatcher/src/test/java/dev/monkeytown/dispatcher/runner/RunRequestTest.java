package dev.monkeytown.dispatcher.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.monkeytown.dispatcher.queue.RunIds;

class RunRequestTest {

    private final String runId = new RunIds().next();
    private final Path repo = Path.of("/repo");

    @Test
    void theBranchIsNamedAfterAgentAndRun() {
        RunRequest request = new RunRequest(runId, "gardener", AgentCommand.of("true"), Duration.ofMinutes(30), repo,
                "main");

        assertEquals("agents/gardener/" + runId, request.branch());
    }

    @Test
    void aShellCommandIsHandedToShUnsplit() {
        assertEquals(List.of("/bin/sh", "-c", "a && b | c"), AgentCommand.shell("a && b | c").argv());
    }

    @Test
    void idsThatCouldEscapeTheLogDirectoryAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RunRequest("../x", "gardener", AgentCommand.of("true"),
                Duration.ofMinutes(1), repo, "main"));
    }

    @Test
    void agentNamesThatCannotBeABranchComponentAreRefused() {
        for (String bad : List.of("", "a b", "../x", "a:b", "-lead", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> new RunRequest(runId, bad, AgentCommand.of("true"),
                    Duration.ofMinutes(1), repo, "main"), bad);
        }
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RunRequest(runId, "gardener", AgentCommand.of("true"),
                Duration.ZERO, repo, "main"));
    }

    @Test
    void anEmptyCommandIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AgentCommand(List.of()));
    }
}
