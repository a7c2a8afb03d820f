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
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.build.engine.BuildBook;
import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.outputs.OciPush;
import dev.monkeytown.build.outputs.RegistryOutputs;
import dev.monkeytown.build.pipeline.ExamplePipelines;
import dev.monkeytown.build.pipeline.LocalRepository;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.kit.security.InternalToken;
import dev.monkeytown.runner.SecretValues;
import dev.monkeytown.runner.local.LocalRunner;
import dev.monkeytown.runner.local.Sandbox;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.fence.WriterFence;
import dev.monkeytown.state.local.LocalGitRepository;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Puts build-service together: the local repository (seeded with the example pipelines), the local runner, the outputs
 * publisher towards artifact-service and the build engine over the state branch {@code monkeytown/state/build-service}.
 * GitHub mode (Actions runner, workflow_run webhooks) is not wired yet: the service refuses to start with
 * {@code monkeytown.state.backend=github} rather than pretend.
 */
@Singleton
public class BuildBeans {

    @Produces
    @Singleton
    LocalRepository repository(StateStoreConfig state, BuildConfig config) {
        if (state.backend() != StateStoreConfig.Backend.LOCAL) {
            throw new IllegalStateException("build-service runs builds locally only so far: it needs"
                    + " monkeytown.state.backend=local (GitHub mode is not wired yet, see docs/builds.md)");
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

    void closeRepository(@Disposes LocalRepository repository) {
        repository.close();
    }

    @Produces
    @Singleton
    Pipelines pipelines(LocalRepository repository, BuildConfig config) {
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
    LocalRunner runner(StateStoreConfig state, BuildConfig config, Config settings) {
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

    void closeRunner(@Disposes LocalRunner runner) {
        runner.close();
    }

    /**
     * Outputs go to artifact-service as a direct service call: the internal token, and who is calling, as its
     * {@code Caller} reads them.
     */
    @Produces
    @Singleton
    RegistryOutputs outputs(BuildConfig config, InternalToken internal, ObjectMapper json, LocalRunner runner,
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
        runner.collectWith(outputs);
        return outputs;
    }

    @Produces
    @Singleton
    BuildEngine engine(BuildConfig config, StateBranch branch, WriterFence fence, BuildBook book, Pipelines pipelines,
            LocalRunner runner, LocalRepository repository, RegistryOutputs outputs, BuildEvents events,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        BuildEngine engine = new BuildEngine(new BuildEngine.Settings(service,
                Math.min(config.parallelism(), config.local().workers()), config.dailyAutomaticMax(),
                config.tickInterval(), config.reconcileInterval(), config.startTimeout(), config.runningGrace()),
                branch, book, pipelines::catalog, runner, repository, outputs, events, Clock.systemUTC());
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
