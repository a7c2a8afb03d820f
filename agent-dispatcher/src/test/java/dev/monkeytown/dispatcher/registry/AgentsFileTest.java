package dev.monkeytown.dispatcher.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.monkeytown.dispatcher.runner.AgentCommand;

class AgentsFileTest {

    /** A healthy agent placed next to each broken one, to prove a bad entry never hides a good one. */
    private static final String GOOD = """
              good:
                command: "./good.sh"
            """;

    private static AgentCatalog parseWithGood(String brokenEntry) {
        return AgentsFile.parse("agents:\n" + GOOD + brokenEntry);
    }

    private static DeclarationProblem onlyProblem(AgentCatalog catalog) {
        assertEquals(1, catalog.problems().size(), () -> catalog.problems().toString());
        return catalog.problems().get(0);
    }

    private static void assertSkippedWithProblem(AgentCatalog catalog, String agent, String field, String fragment) {
        assertEquals(Set.of("good"), catalog.agents().keySet());
        DeclarationProblem problem = onlyProblem(catalog);
        assertEquals(AgentsFile.PATH, problem.file());
        assertEquals(Optional.of(agent), problem.agent());
        assertEquals(Optional.ofNullable(field), problem.field());
        assertTrue(problem.message().contains(fragment), problem.message());
    }

    @Test
    void readsTheDocumentedExample() {
        AgentCatalog catalog = AgentsFile.parse("""
                agents:
                  docs-writer:
                    schedule: "0 * * * *"
                    paths: ["docs/**"]
                    timeout: 10m
                    command: "echo hi && git commit -am docs"
                  linter:
                    paths: ["src/**", "pom.xml"]
                    command: "./lint.sh"
                """);

        assertFalse(catalog.hasProblems(), () -> catalog.problems().toString());
        assertEquals(Set.of("docs-writer", "linter"), catalog.agents().keySet());

        AgentDeclaration writer = catalog.agent("docs-writer").orElseThrow();
        assertEquals(Instant.parse("2026-03-01T11:00:00Z"),
                writer.schedule().orElseThrow().next(Instant.parse("2026-03-01T10:00:00Z")));
        assertEquals(List.of("docs/**"), writer.paths());
        assertEquals(Duration.ofMinutes(10), writer.timeout());
        assertEquals(Optional.of(AgentCommand.shell("echo hi && git commit -am docs")), writer.localCommand());
        assertEquals(Optional.empty(), writer.workflow());

        AgentDeclaration linter = catalog.agent("linter").orElseThrow();
        assertEquals(Optional.empty(), linter.schedule());
        assertEquals(AgentDeclaration.DEFAULT_TIMEOUT, linter.timeout());
        assertTrue(linter.pathFilter().matches(List.of("src/main/App.java")));
        assertFalse(linter.pathFilter().matches(List.of("docs/a.md")));
    }

    @Test
    void isoDurationsAreAccepted() {
        AgentCatalog catalog = parseWithGood("""
                  slow:
                    timeout: PT20M
                    command: "x"
                """);
        assertEquals(Duration.ofMinutes(20), catalog.agent("slow").orElseThrow().timeout());
    }

    @Test
    void emptyOrAbsentFileMeansNoAgents() {
        for (String text : List.of("", "   \n", "# nothing yet\n", "agents:\n", "agents: {}\n")) {
            AgentCatalog catalog = AgentsFile.parse(text);
            assertTrue(catalog.agents().isEmpty(), text);
            assertFalse(catalog.hasProblems(), () -> text + catalog.problems());
        }
    }

    @Test
    void badNameIsReported() {
        assertSkippedWithProblem(parseWithGood("  \"bad name\":\n    command: x\n"), "bad name", "name",
                "must be letters");
    }

    @Test
    void badCronIsReported() {
        assertSkippedWithProblem(parseWithGood("  nightly:\n    schedule: \"0 25 * * *\"\n    command: x\n"), "nightly",
                "schedule", "hour field");
    }

    @Test
    void badDurationIsReported() {
        assertSkippedWithProblem(parseWithGood("  slow:\n    timeout: 10 minutes\n    command: x\n"), "slow", "timeout",
                "not a duration");
    }

    @Test
    void timeoutBeyondTheSpecsCapIsReported() {
        assertSkippedWithProblem(parseWithGood("  slow:\n    timeout: 7h\n    command: x\n"), "slow", "timeout",
                "30 minutes");
    }

    @Test
    void aTimeoutOverTheSpecsThirtyMinutesIsAProblemNotAccepted() {
        assertSkippedWithProblem(parseWithGood("  slow:\n    timeout: 45m\n    command: x\n"), "slow", "timeout",
                "30 minutes");
    }

    @Test
    void anAgentMayAskForVariablesButNotTheRunnersOwn() {
        AgentCatalog catalog = parseWithGood("  styled:\n    command: x\n    env: {DOCS_STYLE: short, LEVEL: 3}\n");
        assertEquals(java.util.Map.of("DOCS_STYLE", "short", "LEVEL", "3"),
                catalog.agent("styled").orElseThrow().environment());

        assertSkippedWithProblem(parseWithGood("  greedy:\n    command: x\n    env: {MONKEYTOWN_INTERNAL_TOKEN: x}\n"),
                "greedy", "env", "set by the runner");
        assertSkippedWithProblem(parseWithGood("  listy:\n    command: x\n    env: [A, B]\n"), "listy", "env",
                "mapping");
    }

    @Test
    void bareNumberTimeoutAsksForAUnit() {
        assertSkippedWithProblem(parseWithGood("  slow:\n    timeout: 30\n    command: x\n"), "slow", "timeout",
                "add a unit, e.g. 30m");
    }

    @Test
    void unknownKeyIsReportedSoATypoNeverDisablesAScheduleSilently() {
        assertSkippedWithProblem(parseWithGood("  nightly:\n    shedule: \"0 0 * * *\"\n    command: x\n"), "nightly",
                "shedule", "unknown key");
    }

    @Test
    void missingCommandWithoutWorkflowIsReported() {
        assertSkippedWithProblem(parseWithGood("  idle:\n    paths: [\"src/**\"]\n"), "idle", "command",
                "agent-idle.yml");
    }

    @Test
    void entryWithNoSettingsAndNoWorkflowIsReported() {
        assertSkippedWithProblem(parseWithGood("  bare:\n"), "bare", "command", "missing");
    }

    @Test
    void blankCommandIsReported() {
        assertSkippedWithProblem(parseWithGood("  blank:\n    command: \"  \"\n"), "blank", "command", "blank");
    }

    @Test
    void wrongTypesAreReported() {
        assertSkippedWithProblem(parseWithGood("  p:\n    paths: \"docs/**\"\n    command: x\n"), "p", "paths",
                "must be a list");
        assertSkippedWithProblem(parseWithGood("  p:\n    paths: [1]\n    command: x\n"), "p", "paths",
                "not a string");
        assertSkippedWithProblem(parseWithGood("  p:\n    command: [a, b]\n"), "p", "command", "must be a string");
        assertSkippedWithProblem(parseWithGood("  p: just-a-string\n"), "p", null, "must be a mapping");
    }

    @Test
    void invalidGlobIsReported() {
        assertSkippedWithProblem(parseWithGood("  p:\n    paths: [\"src/[a-\"]\n    command: x\n"), "p", "paths",
                "not a valid glob");
    }

    @Test
    void everyProblemInOneEntryIsReportedAtOnce() {
        AgentCatalog catalog = parseWithGood("""
                  messy:
                    schedule: "nope"
                    timeout: forever
                    colour: blue
                """);
        assertEquals(Set.of("good"), catalog.agents().keySet());
        assertEquals(List.of("colour", "schedule", "timeout", "command"),
                catalog.problems().stream().map(p -> p.field().orElseThrow()).toList());
    }

    @Test
    void malformedYamlIsOneWholeFileProblem() {
        AgentCatalog catalog = AgentsFile.parse("agents:\n  a: [unclosed\n");
        assertTrue(catalog.agents().isEmpty());
        DeclarationProblem problem = onlyProblem(catalog);
        assertEquals(Optional.empty(), problem.agent());
        assertTrue(problem.message().startsWith("not valid YAML"), problem.message());
        assertTrue(problem.describe().startsWith(AgentsFile.PATH + ": not valid YAML"), problem.describe());
    }

    @Test
    void unquotedCronStartingWithStarIsReportedNotThrown() {
        // '*' starts a YAML alias; the author must quote the expression.
        AgentCatalog catalog = AgentsFile.parse("agents:\n  a:\n    schedule: */5 * * * *\n    command: x\n");
        assertTrue(catalog.agents().isEmpty());
        assertEquals(Optional.empty(), onlyProblem(catalog).agent());
    }

    @Test
    void duplicateAgentIsAWholeFileProblemRatherThanLastOneWins() {
        AgentCatalog catalog = AgentsFile.parse("agents:\n  a:\n    command: x\n  a:\n    command: y\n");
        assertTrue(catalog.agents().isEmpty());
        assertTrue(onlyProblem(catalog).message().contains("Duplicate"), onlyProblem(catalog).message());
    }

    @Test
    void wrongShapesAreWholeFileProblems() {
        assertEquals(Optional.empty(), onlyProblem(AgentsFile.parse("- a\n- b\n")).agent());
        assertEquals(Optional.empty(), onlyProblem(AgentsFile.parse("agents: [a, b]\n")).agent());
    }

    @Test
    void unknownTopLevelKeyIsReportedButAgentsStillLoad() {
        AgentCatalog catalog = AgentsFile.parse("agent:\n  x: {}\nagents:\n" + GOOD);
        assertEquals(Set.of("good"), catalog.agents().keySet());
        assertTrue(onlyProblem(catalog).message().contains("'agent'"), onlyProblem(catalog).message());
    }

    @Test
    void workflowWithoutEntryIsAGithubModeAgentWithDefaults() {
        AgentCatalog catalog = AgentsFile.parse("agents:\n" + GOOD,
                List.of("agent-triage.yml", "ci.yml", "agent-good.yml", "release.yaml"));
        assertFalse(catalog.hasProblems(), () -> catalog.problems().toString());
        assertEquals(Set.of("good", "triage"), catalog.agents().keySet());
        assertEquals(AgentDeclaration.ofWorkflow("triage"), catalog.agent("triage").orElseThrow());
        AgentDeclaration good = catalog.agent("good").orElseThrow();
        assertEquals(Optional.of("agent-good.yml"), good.workflow());
        assertEquals(Optional.of("./good.sh"), good.command());
    }

    @Test
    void entryWithWorkflowNeedsNoCommand() {
        AgentCatalog catalog = AgentsFile.parse("agents:\n  nightly:\n    schedule: \"0 3 * * *\"\n    timeout: 20m\n",
                Set.of("agent-nightly.yml"));
        assertFalse(catalog.hasProblems(), () -> catalog.problems().toString());
        AgentDeclaration nightly = catalog.agent("nightly").orElseThrow();
        assertEquals(Duration.ofMinutes(20), nightly.timeout());
        assertEquals(Optional.empty(), nightly.localCommand());
        assertEquals(Optional.of("agent-nightly.yml"), nightly.workflow());
    }

    @Test
    void invalidEntryIsSkippedEvenWhenItHasAWorkflow() {
        // Falling back to defaults would drop the schedule the author meant to set.
        AgentCatalog catalog = AgentsFile.parse("agents:\n  nightly:\n    schedule: \"bad\"\n",
                Set.of("agent-nightly.yml"));
        assertTrue(catalog.agent("nightly").isEmpty());
        assertEquals(Optional.of("schedule"), onlyProblem(catalog).field());
    }

    @Test
    void workflowWithAnInvalidAgentNameIsReported() {
        AgentCatalog catalog = AgentsFile.parse("", List.of("agent-bad.name.yml", "agent-ok.yml"));
        assertEquals(Set.of("ok"), catalog.agents().keySet());
        DeclarationProblem problem = onlyProblem(catalog);
        assertEquals(".github/workflows/agent-bad.name.yml", problem.file());
        assertTrue(problem.message().contains("'bad.name'"), problem.message());
    }

    @Test
    void workflowsStillLoadWhenTheYamlIsMalformed() {
        AgentCatalog catalog = AgentsFile.parse("agents: [", List.of("agent-triage.yml"));
        assertEquals(Set.of("triage"), catalog.agents().keySet());
        assertEquals(1, catalog.problems().size());
    }

    @Test
    void problemsDescribeThemselvesForLogs() {
        DeclarationProblem problem = onlyProblem(parseWithGood("  slow:\n    timeout: 7h\n    command: x\n"));
        assertTrue(problem.describe().startsWith(".monkeytown/agents.yaml: agent 'slow': timeout: "),
                problem.describe());
    }
}
