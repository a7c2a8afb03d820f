package dev.monkeytown.dispatcher.bench;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.dispatcher.dispatch.Dispatcher;
import dev.monkeytown.dispatcher.dispatch.RunAnnouncer;
import dev.monkeytown.dispatcher.github.AgentWorkflowFiles;
import dev.monkeytown.dispatcher.registry.AgentCatalog;
import dev.monkeytown.dispatcher.registry.AgentsFile;
import dev.monkeytown.dispatcher.runner.AgentRunner;
import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunHistory;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.runner.github.GitHubActionsRunner;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.github.GitHubBranchBackend;

/**
 * The dispatcher wired as in GitHub mode, without Quarkus: one {@link GitHubAccess} shared by the state branch
 * ({@link GitHubBranchBackend} under group commit) and the {@link GitHubActionsRunner}, against a fresh repository on
 * the GitHub double with {@code agents} agent workflows on {@code main}.
 */
final class GitHubDispatchRig implements AutoCloseable {

    static final String SERVICE = "agent-dispatcher";

    final HostedRepository repository;
    final GitHubActionsRunner runner;
    final RunHistory history = new RunHistory(10_000);
    final Dispatcher dispatcher;
    final List<String> agents;
    private final GroupCommitStateBranch branch;

    GitHubDispatchRig(GitHubDouble github, String repositoryName, int agentCount, Duration reconcileInterval)
            throws IOException {
        agents = IntStream.range(0, agentCount).mapToObj(i -> "agent-" + i).toList();
        repository = github.repository("monkeytown", repositoryName);
        repository.commitFiles(HostedRepository.DEFAULT_BRANCH, AgentWorkflowFiles.forAgents(agents),
                "declare agents");

        // unpaced: pacing changes how long a run takes, not how many requests it costs
        GitHubAccess access = GitHubAccess.connect("ghp_bench-token",
                GitHubAccessOptions.forApi(github.apiUrl(), github.login()).withPacing(WritePacing.unpaced()),
                new SimpleMeterRegistry());
        branch = new GroupCommitStateBranch(SERVICE,
                new GitHubBranchBackend(access, repository.fullName(), SERVICE), StateBranchOptions.defaults());
        runner = new GitHubActionsRunner(access, GitHubActionsRunner.Settings.defaults(repository.fullName()),
                Clock.systemUTC());
        AgentCatalog catalog = AgentsFile.parse("", agents.stream().map(a -> "agent-" + a + ".yml").toList());
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module());
        dispatcher = new Dispatcher(new Dispatcher.Settings(SERVICE, 100, Duration.ofMillis(100), reconcileInterval),
                branch, new RunBook(json), history, () -> Optional.of(catalog),
                new AgentRunner(runner, HostedRepository.DEFAULT_BRANCH), new Silent(), Clock.systemUTC());
    }

    Optional<RunRecord> record(String runId) {
        return history.find(runId);
    }

    @Override
    public void close() {
        dispatcher.close();
        runner.close();
        branch.close();
    }

    /** Events and metrics cost GitHub nothing; the benchmark ignores them. */
    private static final class Silent implements RunAnnouncer {
        @Override
        public void announce(String type, RunRecord record) {
        }

        @Override
        public void dispatchLatency(String agent, Duration took) {
        }
    }
}
