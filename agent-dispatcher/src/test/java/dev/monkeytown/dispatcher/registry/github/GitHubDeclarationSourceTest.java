package dev.monkeytown.dispatcher.registry.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.dispatcher.registry.Declarations;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;

class GitHubDeclarationSourceTest {

    private static final String AGENTS = """
            agents:
              docs:
                schedule: "0 3 * * *"
            """;

    private final GitHubDouble github = GitHubDouble.start();
    private final HostedRepository repo = github.repository("acme", "town");

    @AfterEach
    void noRequestGitHubWouldRefuse() {
        github.closeRequiringValidRequests();
    }

    @Test
    void readsAgentsFileAndWorkflowNamesAtTheRevision() throws Exception {
        String first = repo.commitFiles("main", Map.of(".monkeytown/agents.yaml", AGENTS,
                ".github/workflows/agent-docs.yml", "on: workflow_dispatch\n",
                ".github/workflows/ci.yml", "on: push\n"), "declare docs");
        GitHubDeclarationSource source = source(Duration.ofSeconds(5));

        assertEquals(Optional.of(first), source.revision());
        repo.commitFiles("main", Map.of(".monkeytown/agents.yaml", "agents: {}\n"), "someone pushes meanwhile");

        Declarations declarations = source.read(first);
        assertEquals(new Declarations(first, AGENTS, List.of("agent-docs.yml", "ci.yml")), declarations);
    }

    @Test
    void missingFileAndFolderReadAsEmpty() throws Exception {
        String head = repo.commitFiles("main", Map.of("README.md", "hello\n"), "nothing declared");
        GitHubDeclarationSource source = source(Duration.ofSeconds(5));

        assertEquals(new Declarations(head, "", List.of()), source.read(head));
    }

    @Test
    void aMissingBranchHasNoRevision() throws Exception {
        repo.commitFiles("other", Map.of("README.md", "hello\n"), "not main");
        assertEquals(Optional.empty(), source(Duration.ofSeconds(5)).revision());
    }

    @Test
    void pollingAnUnchangedBranchCostsA304() throws Exception {
        repo.commitFiles("main", Map.of(".monkeytown/agents.yaml", AGENTS), "declare");
        GitHubDeclarationSource source = source(Duration.ofSeconds(5));
        Optional<String> revision = source.revision();

        Costs before = github.ledger().costs();
        assertEquals(revision, source.revision());
        assertEquals(new Costs(1, 0, 1, 0, 0), github.ledger().costs().minus(before));

        String moved = repo.commitFiles("main", Map.of("README.md", "x\n"), "push");
        assertEquals(Optional.of(moved), source.revision());
    }

    @Test
    void unreachableGitHubIsAnIOException() throws Exception {
        repo.commitFiles("main", Map.of("README.md", "hello\n"), "x");
        GitHubDeclarationSource source = source(Duration.ofMillis(300));
        github.takeDown();
        try {
            IOException failure = assertThrows(IOException.class, source::revision);
            assertTrue(failure.getMessage().contains("GitHub unreachable"), failure.getMessage());
        } finally {
            github.bringBack();
        }
    }

    private GitHubDeclarationSource source(Duration unavailableAfter) throws IOException {
        GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login())
                .withPacing(WritePacing.unpaced()).withUnavailableAfter(unavailableAfter)
                .withRequestTimeout(Duration.ofSeconds(2));
        return new GitHubDeclarationSource(GitHubAccess.connect("ghp_declarations-token", options,
                new SimpleMeterRegistry()), "acme/town", "main");
    }
}
