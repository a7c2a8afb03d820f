package dev.monkeytown.dispatcher.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.monkeytown.dispatcher.runner.AgentCommand;

class AgentDeclarationTest {

    private static AgentDeclaration local(String name, Duration timeout) {
        return new AgentDeclaration(name, Optional.empty(), List.of(), timeout, Optional.of("make lint"),
                Optional.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "docs-writer", "lint_2", "0agent"})
    void acceptsNamesTheRunnerAccepts(String name) {
        assertDoesNotThrow(() -> local(name, Duration.ofMinutes(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", "_x", "has space", "a/b", "a.b", "ü"})
    void rejectsNamesUnsafeForBranches(String name) {
        assertThrows(IllegalArgumentException.class, () -> local(name, Duration.ofMinutes(1)));
    }

    @Test
    void namesMayBeSixtyFourLongButNoLonger() {
        assertDoesNotThrow(() -> local("X".repeat(64), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> local("X".repeat(65), Duration.ofMinutes(1)));
    }

    @Test
    void timeoutIsAtMostTheSpecsThirtyMinutes() {
        assertDoesNotThrow(() -> local("a", Duration.ofSeconds(1)));
        assertDoesNotThrow(() -> local("a", Duration.ofMinutes(30)));
        assertThrows(IllegalArgumentException.class, () -> local("a", Duration.ofMillis(999)));
        assertThrows(IllegalArgumentException.class, () -> local("a", Duration.ofMinutes(30).plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> local("a", Duration.ZERO));
    }

    @Test
    void needsACommandOrAWorkflow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AgentDeclaration("a", Optional.empty(), List.of(), Duration.ofMinutes(1), Optional.empty(),
                        Optional.empty()));
        assertTrue(e.getMessage().contains("agent-a.yml"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AgentDeclaration("a", Optional.empty(), List.of(),
                Duration.ofMinutes(1), Optional.of("  "), Optional.empty()));
    }

    @Test
    void workflowOnlyAgentHasDefaults() {
        AgentDeclaration agent = AgentDeclaration.ofWorkflow("triage");
        assertEquals(Optional.of("agent-triage.yml"), agent.workflow());
        assertEquals(Duration.ofMinutes(30), agent.timeout());
        assertEquals(Optional.empty(), agent.schedule());
        assertEquals(Optional.empty(), agent.localCommand());
        assertEquals(List.of(), agent.paths());
    }

    @Test
    void localCommandRunsThroughTheShell() {
        AgentDeclaration agent = local("a", Duration.ofMinutes(1));
        assertEquals(Optional.of(AgentCommand.shell("make lint")), agent.localCommand());
    }

    @Test
    void pathsAreValidatedAndCopied() {
        assertThrows(IllegalArgumentException.class, () -> new AgentDeclaration("a", Optional.empty(),
                List.of("src/[x"), Duration.ofMinutes(1), Optional.of("x"), Optional.empty()));
        AgentDeclaration agent = new AgentDeclaration("a", Optional.empty(), List.of("docs/**"), Duration.ofMinutes(1),
                Optional.of("x"), Optional.empty());
        assertTrue(agent.pathFilter().matches(List.of("docs/a/b.md")));
    }
}
