package dev.monkeytown.build.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.build.engine.BuildBook;
import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.engine.BuildWatcher;
import dev.monkeytown.build.engine.FailureEvidence;
import dev.monkeytown.build.engine.OutputPublisher;
import dev.monkeytown.build.github.CommitStatuses;
import dev.monkeytown.build.github.WorkflowJobs;
import dev.monkeytown.build.outputs.ActionsArtifacts;
import dev.monkeytown.build.outputs.OciPush;
import dev.monkeytown.build.outputs.RegistryOutputs;
import dev.monkeytown.build.pipeline.ExamplePipelines;
import dev.monkeytown.build.pipeline.LocalRepository;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.build.pipeline.SourceRepository;
import dev.monkeytown.build.pipeline.github.GitHubRepository;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.kit.security.InternalToken;
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
 * Puts build-service together from the state backend: the repository pipelines and pushes are read from, the runner,
 * the outputs publisher towards artifact-service and the build engine over the state branch
 * {@code monkeytown/state/build-service}.
 * <ul>
 * <li>{@code local}: the local repository (seeded with the example pipelines), the local runner, outputs collected from
 * the scratch checkout.
 * <li>{@code github}: the repository on GitHub, the GitHub Actions runner (each attempt a {@code workflow_dispatch} of
 * the pipeline's {@code workflow}), outputs copied from the workflow run's Actions artifacts.
 * </ul>
 */
@Singleton
public class BuildBeans {

    @Produces
    @Singleton
    SourceRepository repository(StateStoreConfig state, BuildConfig config, GitHubConfig github,
            Instance<GitHubAccess> access) {
        if (state.backend() == StateStoreConfig.Backend.GITHUB) {
            return new GitHubRepository(access.get(), github.repository().orElseThrow(() -> new IllegalStateException(
                    "monkeytown.github.repository is required in GitHub mode")));
        }
        Path directory = state.localRepository();
        try {
            LocalGitRepository.openOrCreate(directory).close();
            if (config.local().seedExamples() && ExamplePipelines.seed(directory, config.defaultBranch())) {
                Log.infof("Seeded %s with example pipelines on branch %s", directory, config.defaultBranch());
            }
            return new LocalRepository(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local repository " + directory, e);
        }
    }

    void closeRepository(@Disposes SourceRepository repository) {
        if (repository instanceof LocalRepository local) {
            local.close();
        }
    }

    @Produces
    @Singleton
    Pipelines pipelines(SourceRepository repository, BuildConfig config) {
        return new Pipelines(repository, config.defaultBranch());
    }

    @Produces
    @Singleton
    BuildHistory history(BuildConfig config) {
        return new BuildHistory(config.historySize());
    }

    @Produces
    @Singleton
    BuildBook book(ObjectMapper json) {
        return new BuildBook(json);
    }

    @Produces
    @Singleton
    Runner runner(StateStoreConfig state, BuildConfig config, GitHubConfig github, Instance<GitHubAccess> access,
            Config settings) {
        if (state.backend() == StateStoreConfig.Backend.GITHUB) {
            String repository = github.repository().orElseThrow();
            GitHubActionsRunner.Settings defaults = GitHubActionsRunner.Settings.defaults(repository);
            Log.infof("Builds run as GitHub Actions workflow runs in %s", repository);
            return new GitHubActionsRunner(access.get(), new GitHubActionsRunner.Settings(repository,
                    config.github().appearWithin(), defaults.cancelRetryInterval()), Clock.systemUTC());
        }
        BuildConfig.Local local = config.local();
        SecretValues secrets = SecretValues.fromProperties(settings.getPropertyNames(), name -> quietly(settings, name));
        List<Path> hidden = new ArrayList<>(local.hiddenPaths().orElse(List.of()));
        settings.getOptionalValue("monkeytown.home", String.class).map(Path::of).ifPresent(hidden::add);
        hidden.addAll(SecretValues.filesNamedIn(settings.getPropertyNames(), name -> quietly(settings, name)));
        Sandbox sandbox = Sandbox.choose(local.sandbox(), hidden, local.writablePaths().orElse(List.of()));
        Log.infof("Builds run %s", sandbox.describe());
        return new LocalRunner(new LocalRunner.Settings(state.localRepository(), local.workDirectory(),
                local.logDirectory(), local.killGrace(), 64 * 1024, local.workers(), sandbox, secrets));
    }

    void closeRunner(@Disposes Runner runner) {
        runner.close();
    }

    /**
     * Outputs go to artifact-service as a direct service call: the internal token, and who is calling, as its
     * {@code Caller} reads them.
     */
    @Produces
    @Singleton
    @Typed(RegistryOutputs.class) // the OutputPublisher is the one below
    RegistryOutputs registryOutputs(BuildConfig config, InternalToken internal, ObjectMapper json, Runner runner,
            BuildHistory history, Pipelines pipelines) {
        // the token to send, not the setting: during a rotation the setting is a list
        Map<String, String> headers = internal.value()
                .map(token -> Map.of("X-Monkeytown-Internal-Token", token, "X-Monkeytown-User", "build-service",
                        "X-Monkeytown-Role", "operator"))
                .orElse(Map.of());
        OciPush registry = new OciPush(config.artifacts().url(), headers, config.artifacts().timeout());
        // the run id is <build-id>-<attempt>; the build's pipeline says which files are outputs
        RegistryOutputs outputs = new RegistryOutputs(config.local().outputsDirectory(), registry, json,
                runId -> history.find(runId.substring(0, Math.max(0, runId.lastIndexOf('-'))))
                        .flatMap(build -> pipelines.catalog().pipeline(build.pipeline()))
                        .map(Pipeline::outputs).orElse(List.of()));
        if (runner instanceof LocalRunner local) {
            local.collectWith(outputs);
        }
        return outputs;
    }

    /** Locally the files the runner collected from the checkout; on GitHub the workflow run's Actions artifacts. */
    @Produces
    @Singleton
    OutputPublisher outputs(RegistryOutputs registry, StateStoreConfig state, BuildConfig config, GitHubConfig github,
            Instance<GitHubAccess> access) {
        if (state.backend() == StateStoreConfig.Backend.GITHUB) {
            return new ActionsArtifacts(access.get(), github.repository().orElseThrow(),
                    config.local().outputsDirectory(), registry, config.github().maxArtifactBytes().asLongValue(),
                    config.github().maxRunOutputBytes().asLongValue(), config.github().maxRunOutputFiles(),
                    config.github().artifactTimeout());
        }
        return registry;
    }

    void closeOutputs(@Disposes OutputPublisher outputs) {
        if (outputs instanceof ActionsArtifacts artifacts) {
            artifacts.close();
        }
    }

    /** GitHub mode: the commit status {@code monkeytown/build/<pipeline>} on each build's commit. */
    @Produces
    @Singleton
    BuildWatcher watcher(StateStoreConfig state, BuildConfig config, GitHubConfig github,
            Instance<GitHubAccess> access, WriterFence fence) {
        if (state.backend() != StateStoreConfig.Backend.GITHUB || !config.github().commitStatuses()) {
            return BuildWatcher.NONE;
        }
        CommitStatuses statuses = new CommitStatuses(access.get(), github.repository().orElseThrow(),
                config.github().statusRetry(), Clock.systemUTC());
        // a stepped-down instance must not post a late pending over the new leader's end state
        fence.onStepDown(statuses::close);
        return statuses;
    }

    void closeWatcher(@Disposes BuildWatcher watcher) {
        if (watcher instanceof CommitStatuses statuses) {
            statuses.close();
        }
    }

    @Produces
    @Singleton
    BuildEngine engine(BuildConfig config, StateBranch branch, WriterFence fence, BuildBook book, Pipelines pipelines,
            Runner runner, SourceRepository repository, OutputPublisher outputs, BuildEvents events,
            StateStoreConfig state, GitHubConfig github, Instance<GitHubAccess> access,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        // locally a build beyond the runner's workers would wait for a worker while its start timeout runs down
        int parallelism = runner instanceof LocalRunner
                ? Math.min(config.parallelism(), config.local().workers())
                : config.parallelism();
        // GitHub: a run that concluded failure is told apart from a lost runner by one read of its jobs
        FailureEvidence evidence = state.backend() == StateStoreConfig.Backend.GITHUB
                ? new WorkflowJobs(access.get(), github.repository().orElseThrow())
                : FailureEvidence.NONE;
        BuildEngine engine = new BuildEngine(new BuildEngine.Settings(service, parallelism,
                config.dailyAutomaticMax(), config.tickInterval(), config.reconcileInterval(), config.startTimeout(),
                config.runningGrace(), config.github().copyTimeout(), BuildEngine.Settings.DEFAULT_EVIDENCE_RETRY),
                branch, book, pipelines::catalog, runner,
                repository.runTarget(), outputs,
                evidence, events, Clock.systemUTC());
        // one instance builds: a newer instance taking the branch over makes this one stop
        fence.onStepDown(engine::close);
        return engine;
    }

    void closeEngine(@Disposes BuildEngine engine) {
        engine.close();
    }

    private static Optional<String> quietly(Config settings, String name) {
        try {
            return settings.getOptionalValue(name, String.class);
        } catch (RuntimeException e) {
            return Optional.empty(); // a property that does not resolve holds nothing to mask
        }
    }
}
