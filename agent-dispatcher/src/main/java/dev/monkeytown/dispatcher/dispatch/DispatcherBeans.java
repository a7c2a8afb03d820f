package dev.monkeytown.dispatcher.dispatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.dispatcher.activity.ActivityWatch;
import dev.monkeytown.dispatcher.activity.BusinessMetrics;
import dev.monkeytown.dispatcher.activity.LocalRepositoryActivity;
import dev.monkeytown.dispatcher.registry.AgentRegistry;
import dev.monkeytown.dispatcher.registry.DeclarationSource;
import dev.monkeytown.dispatcher.registry.github.GitHubDeclarationSource;
import dev.monkeytown.dispatcher.registry.local.ExampleAgents;
import dev.monkeytown.dispatcher.registry.local.LocalDeclarationSource;
import dev.monkeytown.dispatcher.runner.AgentRunner;
import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunHistory;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.SecretValues;
import dev.monkeytown.runner.github.GitHubActionsRunner;
import dev.monkeytown.runner.local.LocalRunner;
import dev.monkeytown.runner.local.Sandbox;
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

    /** The business metrics' source: the local repository's branches, or (GitHub mode) the webhooks. */
    @Produces
    @Singleton
    ActivityWatch activityWatch(StateStoreConfig state, DispatcherConfig config, BusinessMetrics metrics,
            DeclarationSource declarations) {
        if (state.backend() == StateStoreConfig.Backend.GITHUB) {
            return ActivityWatch.WEBHOOKS_TELL;
        }
        try {
            // after the declaration source, which creates the repository when it is missing
            return new LocalRepositoryActivity(state.localRepository(), config.defaultBranch(), metrics);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local repository " + state.localRepository(), e);
        }
    }

    void closeActivityWatch(@Disposes ActivityWatch watch) {
        if (watch instanceof LocalRepositoryActivity local) {
            local.close();
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
            Instance<GitHubAccess> access, Config settings) {
        DispatcherConfig.RunnerKind kind = config.runner().orElse(state.backend() == StateStoreConfig.Backend.GITHUB
                ? DispatcherConfig.RunnerKind.GITHUB_ACTIONS
                : DispatcherConfig.RunnerKind.LOCAL);
        Log.infof("Agents run on the %s runner", kind.name().toLowerCase().replace('_', '-'));
        if (kind == DispatcherConfig.RunnerKind.GITHUB_ACTIONS) {
            if (state.backend() != StateStoreConfig.Backend.GITHUB) {
                throw new IllegalStateException("monkeytown.dispatcher.runner=github-actions needs"
                        + " monkeytown.state.backend=github (the workflows live in the GitHub repository)");
            }
            return new GitHubActionsRunner(access.get(),
                    GitHubActionsRunner.Settings.defaults(github.repository().orElseThrow()), Clock.systemUTC());
        }
        if (state.backend() != StateStoreConfig.Backend.LOCAL) {
            throw new IllegalStateException("monkeytown.dispatcher.runner=local needs monkeytown.state.backend=local"
                    + " (agents run in clones of the local repository)");
        }
        DispatcherConfig.Local local = config.local();
        SecretValues secrets = serviceSecrets(settings);
        List<Path> hidden = new ArrayList<>(local.hiddenPaths().orElse(List.of()));
        settings.getOptionalValue("monkeytown.home", String.class).map(Path::of).ifPresent(hidden::add);
        hidden.addAll(SecretValues.filesNamedIn(settings.getPropertyNames(), name -> quietly(settings, name)));
        Sandbox sandbox = Sandbox.choose(local.sandbox(), hidden, local.writablePaths().orElse(List.of()));
        Log.infof("Local agents run %s; %d secret values are masked in their logs", sandbox.describe(),
                secrets.values().size());
        return new LocalRunner(new LocalRunner.Settings(state.localRepository(), local.workDirectory(),
                local.logDirectory(), local.killGrace(), 64 * 1024, local.workers(), sandbox, secrets));
    }

    void closeRunner(@Disposes Runner runner) {
        runner.close();
    }

    @Produces
    @Singleton
    AgentRunner agentRunner(Runner runner, DispatcherConfig config) {
        return new AgentRunner(runner, config.defaultBranch());
    }

    /** Every value this service's configuration holds as a secret, environment variables included. */
    static SecretValues serviceSecrets(Config settings) {
        return SecretValues.fromProperties(settings.getPropertyNames(), name -> quietly(settings, name));
    }

    /** The files the configuration names as holding secrets (tokens files), to hide from sandboxed agents. */
    private static Optional<String> quietly(Config settings, String name) {
        try {
            return settings.getOptionalValue(name, String.class);
        } catch (RuntimeException e) {
            return Optional.empty(); // a property that does not resolve holds nothing to mask
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
            RunHistory history, AgentRegistry registry, AgentRunner runner, RunEvents events,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        // locally a run beyond the runner's workers would wait for a free worker while its bound on starting runs
        // down, so the machine's capacity caps dispatching too
        int cap = runner.kind().equals(LocalRunner.KIND)
                ? Math.min(config.repositoryCap(), config.local().workers())
                : config.repositoryCap();
        Dispatcher dispatcher = new Dispatcher(new Dispatcher.Settings(service, cap, config.tickInterval(),
                config.reconcileInterval(), config.startTimeout()), branch, book, history, registry::catalog, runner,
                events, Clock.systemUTC());
        // one dispatcher dispatches: the branch's writer fence (a rolling update's new pod) makes an old one stop
        fence.onStepDown(dispatcher::stepDown);
        return dispatcher;
    }

    void closeDispatcher(@Disposes Dispatcher dispatcher) {
        dispatcher.close();
    }
}
