package dev.monkeytown.deploy.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.deploy.engine.DeploymentBook;
import dev.monkeytown.deploy.engine.RegistryArtifacts;
import dev.monkeytown.deploy.engine.RegistryReferences;
import dev.monkeytown.deploy.engine.SecretsFile;
import dev.monkeytown.deploy.environment.ExampleEnvironments;
import dev.monkeytown.deploy.gitops.LocalRepository;
import dev.monkeytown.deploy.preconditions.BuildServiceClient;
import dev.monkeytown.deploy.preconditions.Preconditions;
import dev.monkeytown.kit.security.InternalToken;
import dev.monkeytown.runner.SecretValues;
import dev.monkeytown.runner.local.LocalRunner;
import dev.monkeytown.runner.local.Sandbox;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.fence.WriterFence;
import dev.monkeytown.state.local.LocalGitRepository;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Puts deploy-service together in local mode: the local repository (seeded with the example environments), the local
 * runner, build-service and artifact-service as direct service calls, and the deployment engine over the fenced state
 * branch {@code monkeytown/state/deploy-service}. GitHub mode is not wired: there ({@link DeployMode}) none of this is
 * created; the service keeps its state branch and health and its API answers 501.
 */
@Singleton
public class DeployBeans {

    static final String NOT_WIRED = "deploy-service deploys on the local backend only so far: it needs"
            + " monkeytown.state.backend=local (GitHub mode — deploy-<env>.yml workflows, deployment_status webhooks —"
            + " is not wired yet, see docs/deploy.md)";

    @Produces
    @Singleton
    LocalRepository repository(StateStoreConfig state, DeployConfig config) {
        if (state.backend() != StateStoreConfig.Backend.LOCAL) {
            throw new IllegalStateException(NOT_WIRED);
        }
        Path directory = state.localRepository();
        try {
            LocalGitRepository.openOrCreate(directory).close();
            if (config.local().seedExamples() && ExampleEnvironments.seed(directory, config.defaultBranch())) {
                Log.infof("Seeded %s with example environments on branch %s", directory, config.defaultBranch());
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
    Environments environments(LocalRepository repository, DeployConfig config) {
        return new Environments(repository, config.defaultBranch());
    }

    /** build-service and artifact-service are called as a service: the internal token, and who is calling. */
    private static Map<String, String> serviceHeaders(InternalToken internal) {
        // the token to send, not the setting: during a rotation the setting is a list
        return internal.value().map(token -> Map.of(InternalToken.HEADER, token, "X-Monkeytown-User", "deploy-service",
                "X-Monkeytown-Role", "operator")).orElse(Map.of());
    }

    @Produces
    @Singleton
    Preconditions preconditions(DeployConfig config, InternalToken internal, ObjectMapper json) {
        return new Preconditions(new BuildServiceClient(config.builds().url(), serviceHeaders(internal),
                config.builds().timeout(), config.builds().pages(), json));
    }

    @Produces
    @Singleton
    LocalRunner runner(StateStoreConfig state, DeployConfig config, Config settings) {
        DeployConfig.Local local = config.local();
        SecretValues secrets = SecretValues.fromProperties(settings.getPropertyNames(), name -> quietly(settings, name));
        // not the whole data directory, as builds do: the environments and the artifacts live there and must be seen
        List<Path> hidden = new ArrayList<>(local.hiddenPaths().orElse(List.of()));
        Optional<Path> home = settings.getOptionalValue("monkeytown.home", String.class).map(Path::of);
        home.ifPresent(h -> List.of("token", "internal-token", "tokens", "run", "logs").forEach(n -> hidden.add(
                h.resolve(n))));
        hidden.add(config.secretsDirectory());
        hidden.addAll(SecretValues.filesNamedIn(settings.getPropertyNames(), name -> quietly(settings, name)));
        List<Path> writable = new ArrayList<>(local.writablePaths().orElse(List.of()));
        writable.add(config.environmentsDirectory());
        try {
            Files.createDirectories(config.environmentsDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.environmentsDirectory(), e);
        }
        try {
            Files.createDirectories(local.artifactsDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + local.artifactsDirectory(), e);
        }
        // the command reads its deployment's artifacts there, even where the sandbox empties /tmp above them
        Sandbox sandbox = Sandbox.choose(local.sandbox(), hidden, writable, List.of(local.artifactsDirectory()));
        Log.infof("Deployments run %s", sandbox.describe());
        return new LocalRunner(new LocalRunner.Settings(state.localRepository(), local.workDirectory(),
                local.logDirectory(), local.killGrace(), 64 * 1024, local.workers(), sandbox, secrets));
    }

    void closeRunner(@Disposes LocalRunner runner) {
        runner.close();
    }

    @Produces
    @Singleton
    DeployEngine engine(DeployConfig config, StateBranch branch, WriterFence fence, ObjectMapper json,
            Environments environments, LocalRunner runner, LocalRepository repository, InternalToken internal,
            DeployEvents events, @ConfigProperty(name = "quarkus.application.name") String service) {
        DeployEngine engine = new DeployEngine(new DeployEngine.Settings(service, config.environmentsDirectory(),
                config.local().artifactsDirectory(), config.tickInterval()), branch, new DeploymentBook(json),
                environments::catalog, runner, repository,
                new RegistryArtifacts(config.artifacts().url(), serviceHeaders(internal), config.artifacts().timeout()),
                new SecretsFile(config.secretsDirectory(), runner.sandbox().isolated()),
                new RegistryReferences(config.artifacts().url(),
                        serviceHeaders(internal), config.artifacts().timeout(), json),
                events, Clock.systemUTC());
        // one instance deploys: a newer instance taking the branch over makes this one stop
        fence.onStepDown(engine::close);
        return engine;
    }

    void closeEngine(@Disposes DeployEngine engine) {
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
