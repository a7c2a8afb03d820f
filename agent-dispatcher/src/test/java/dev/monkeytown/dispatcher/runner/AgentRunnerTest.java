package dev.monkeytown.dispatcher.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.kit.ids.SortableIds;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunSpec;

/** What an agent run becomes at the runner: its conventions live in one place. */
class AgentRunnerTest {

    private final AgentRun run = AgentRun.queued(new SortableIds().next(), "gardener", new Trigger.Manual("ada"),
            Instant.parse("2026-03-01T10:00:00Z")).moveTo(RunState.DISPATCHED, Instant.parse("2026-03-01T10:01:00Z"));

    @Test
    void anAgentRunCarriesItsVariablesBranchAndWorkflowAndNoSecrets() {
        AgentDeclaration agent = new AgentDeclaration("gardener", Optional.empty(), List.of(), Duration.ofMinutes(10),
                Optional.of("./garden.sh"), Optional.of("agent-gardener.yml"), Map.of("STYLE", "tidy"));

        RunSpec spec = AgentRunner.specOf(run, agent, "main");

        assertEquals(run.id(), spec.id());
        assertEquals("main", spec.ref());
        assertEquals(Optional.of(List.of("/bin/sh", "-c", "./garden.sh")), spec.command());
        assertEquals(Optional.of(new RunSpec.WorkflowCall("agent-gardener.yml", "run_id", Map.of())),
                spec.workflow());
        assertEquals(Map.of("run_id", run.id()), spec.workflow().orElseThrow().inputsFor(run.id()));
        assertEquals(Set.of(), spec.inherit());
        assertEquals(Optional.empty(), spec.commit());
        assertEquals(Optional.of("agents/gardener/" + run.id()), spec.deliverBranch());
        assertEquals(run.id(), spec.environment().get("MONKEYTOWN_RUN_ID"));
        assertEquals("gardener", spec.environment().get("MONKEYTOWN_AGENT"));
        assertEquals("agents/gardener/" + run.id(), spec.environment().get("MONKEYTOWN_BRANCH"));
        assertEquals("tidy", spec.environment().get("STYLE"));
        assertTrue(spec.environment().containsKey("GIT_AUTHOR_NAME"));
        assertEquals(Map.of(), spec.secrets(), "agents get no secrets");
        assertEquals(Duration.ofMinutes(10), spec.timeout());
    }

    @Test
    void aRunIsLookedUpByItsWorkflowSinceItsDispatch() {
        RunLookup lookup = AgentRunner.lookupOf(run, Optional.empty());

        assertEquals(Optional.of("agent-gardener.yml"), lookup.workflow());
        assertEquals(run.dispatchedAt(), lookup.requestedAt());
    }

    @Test
    void aShellCommandIsHandedToShUnsplit() {
        assertEquals(List.of("/bin/sh", "-c", "a && b | c"), AgentCommand.shell("a && b | c").argv());
        assertThrows(IllegalArgumentException.class, () -> new AgentCommand(List.of()));
    }
}
