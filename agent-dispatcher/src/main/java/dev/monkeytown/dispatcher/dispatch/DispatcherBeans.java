package dev.monkeytown.dispatcher.dispatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.dispatcher.registry.AgentRegistry;
import dev.monkeytown.dispatcher.registry.DeclarationSource;
import dev.monkeytown.dispatcher.registry.github.GitHubDeclarationSource;
import dev.monkeytown.dispatcher.registry.local.ExampleAgents;
import dev.monkeytown.dispatcher.registry.local.LocalDeclarationSource;
import dev.monkeytown.dispatcher.runner.LocalAgentRunner;
import dev.monkeytown.dispatcher.runner.LocalRunner;
import dev.monkeytown.dispatcher.runner.Runner;
import dev.monkeytown.dispatcher.runner.github.GitHubActionsRunner;
import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunHistory;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.fence.WriterFence;
import dev.monkeytown.state.local.LocalGitRepository;
import dev.monkeytown.state.quarkus.GitHubConfig;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Puts the dispatcher together from configuration: where declarations come from and which runner executes agents follow
 * the state backend (a local repository, or GitHub) unless {@code monkeytown.dispatcher.runner} says otherwise.
 */
@Singleton
public class DispatcherBeans {

    @Produces
    @Singleton
    DeclarationSource declarations(StateStoreConfig state, DispatcherConfig config, GitHubConfig github,
            Instance<GitHubAccess> access) {
        if (state.backend() == StateStoreConfig.Backend.GITHUB) {
            return new GitHubDeclarationSource(access.get(), github.repository().orElseThrow(),
                    config.defaultBranch());
        }
        Path repository = state.localRepository();
        try {
            LocalGitRepository.openOrCreate(repository).close();
            if (config.local().seedExamples() && ExampleAgents.seed(repository, config.defaultBranch())) {
                Log.infof("Seeded %s with example agents on branch %s", repository, config.defaultBranch());
            }
            return new LocalDeclarationSource(repository, config.defaultBranch());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local repository " + repository, e);
        }
    }

    void closeDeclarations(@Disposes DeclarationSource source) throws Exception {
        if (source instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @Singleton
    AgentRegistry registry(DeclarationSource source) {
        return new AgentRegistry(source);
    }

    @Produces
    @Singleton
    Runner runner(DispatcherConfig config, StateStoreConfig state, GitHubConfig github,
            Instance<GitHubAccess> access) {
        DispatcherConfig.RunnerKind kind = config.runner().orElse(state.backend() == StateStoreConfig.Backend.GITHUB
                ? DispatcherConfig.RunnerKind.GITHUB_ACTIONS
                : DispatcherConfig.RunnerKind.LOCAL);
        Log.infof("Agents run on the %s runner", kind.name().toLowerCase().replace('_', '-'));
        if (kind == DispatcherConfig.RunnerKind.GITHUB_ACTIONS) {
            if (state.backend() != StateStoreConfig.Backend.GITHUB) {
                throw new IllegalStateException("monkeytown.dispatcher.runner=github-actions needs"
                        + " monkeytown.state.backend=github (the workflows live in the GitHub repository)");
            }
            return new GitHubActionsRunner(access.get(), github.repository().orElseThrow(), config.defaultBranch(),
                    Clock.systemUTC());
        }
        if (state.backend() != StateStoreConfig.Backend.LOCAL) {
            throw new IllegalStateException("monkeytown.dispatcher.runner=local needs monkeytown.state.backend=local"
                    + " (agents run in clones of the local repository)");
        }
        DispatcherConfig.Local local = config.local();
        LocalRunner.Settings defaults = LocalRunner.Settings.defaults(local.workDirectory(), local.logDirectory());
        LocalRunner runner = new LocalRunner(new LocalRunner.Settings(local.workDirectory(), local.logDirectory(),
                local.killGrace(), defaults.tailBytes(), local.workers()));
        return new LocalAgentRunner(runner, state.localRepository(), config.defaultBranch());
    }

    void closeRunner(@Disposes Runner runner) throws Exception {
        if (runner instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @Singleton
    RunBook runBook(ObjectMapper json) {
        return new RunBook(json);
    }

    @Produces
    @Singleton
    RunHistory runHistory(DispatcherConfig config) {
        return new RunHistory(config.historySize());
    }

    @Produces
    @Singleton
    Dispatcher dispatcher(DispatcherConfig config, StateBranch branch, WriterFence fence, RunBook book,
            RunHistory history, AgentRegistry registry, Runner runner, RunEvents events,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        // locally a run beyond the runner's workers would wait for a free worker while its timeout (counted from
        // dispatch) runs down, so the machine's capacity caps dispatching too
        int cap = runner instanceof LocalAgentRunner
                ? Math.min(config.repositoryCap(), config.local().workers())
                : config.repositoryCap();
        Dispatcher dispatcher = new Dispatcher(new Dispatcher.Settings(service, cap, config.tickInterval(),
                config.reconcileInterval()), branch, book, history, registry::catalog, runner, events,
                Clock.systemUTC());
        // one dispatcher dispatches: the branch's writer fence (a rolling update's new pod) makes an old one stop
        fence.onStepDown(dispatcher::stepDown);
        return dispatcher;
    }

    void closeDispatcher(@Disposes Dispatcher dispatcher) {
        dispatcher.close();
    }
}
