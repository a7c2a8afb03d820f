package dev.monkeytown.deploy.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.deploy.engine.DeploymentBook;
import dev.monkeytown.deploy.engine.GitHubDeploys;
import dev.monkeytown.deploy.engine.RegistryArtifacts;
import dev.monkeytown.deploy.engine.RegistryReferences;
import dev.monkeytown.deploy.engine.SecretsFile;
import dev.monkeytown.deploy.environment.ExampleEnvironments;
import dev.monkeytown.deploy.gitops.GitHubRepository;
import dev.monkeytown.deploy.gitops.LocalRepository;
import dev.monkeytown.deploy.gitops.SourceRepository;
import dev.monkeytown.deploy.preconditions.BuildServiceClient;
import dev.monkeytown.deploy.preconditions.Preconditions;
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
 * Puts deploy-service together from the state backend ({@link DeployMode}). Locally: the local repository (seeded with
 * the example environments) and the local runner. In GitHub mode: the repository on GitHub (environments read from the
 * default branch, environment branches moved through the Git Data API) and the GitHub Actions runner, which dispatches
 * {@code deploy-<env>.yml}. Either way build-service and artifact-service as direct service calls, and the deployment
 * engine over the fenced state branch {@code monkeytown/state/deploy-service}.
 */
@Singleton
public class DeployBeans {

    @Produces
    @Singleton
    SourceRepository repository(StateStoreConfig state, DeployConfig config, GitHubConfig github,
            Instance<GitHubAccess> access) {
        if (state.backend() == StateStoreConfig.Backend.GITHUB) {
            return new GitHubRepository(access.get(), repository(github));
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

    void closeRepository(@Disposes SourceRepository repository) {
        if (repository instanceof LocalRepository local) {
            local.close();
        }
    }

    private static String repository(GitHubConfig github) {
        return github.repository().orElseThrow(() -> new IllegalStateException(
                "monkeytown.state.backend=github needs monkeytown.github.repository (owner/name) to deploy"));
    }

    @Produces
    @Singleton
    Environments environments(SourceRepository repository, DeployConfig config) {
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
    Runner runner(StateStoreConfig state, DeployConfig config, Config settings, GitHubConfig github,
            Instance<GitHubAccess> access) {
        if (state.backend() == StateStoreConfig.Backend.GITHUB) {
            return new GitHubActionsRunner(access.get(), new GitHubActionsRunner.Settings(repository(github),
                    config.github().appearWithin(), Duration.ofSeconds(30)), Clock.systemUTC());
        }
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

    void closeRunner(@Disposes Runner runner) {
        runner.close();
    }

    @Produces
    @Singleton
    DeployEngine engine(DeployConfig config, StateStoreConfig state, GitHubConfig github,
            Instance<GitHubAccess> access, StateBranch branch, WriterFence fence, ObjectMapper json,
            Environments environments, Runner runner, SourceRepository repository, InternalToken internal,
            DeployEvents events, @ConfigProperty(name = "quarkus.application.name") String service) {
        Optional<GitHubDeploys> onGitHub = state.backend() == StateStoreConfig.Backend.GITHUB
                ? Optional.of(new GitHubDeploys(access.get(), new GitHubDeploys.Settings(repository(github),
                        config.github().reconcileInterval())))
                : Optional.empty();
        boolean isolated = runner instanceof LocalRunner local && local.sandbox().isolated();
        DeployEngine engine = new DeployEngine(new DeployEngine.Settings(service, config.environmentsDirectory(),
                config.local().artifactsDirectory(), config.tickInterval()), branch, new DeploymentBook(json),
                environments::catalog, runner, repository,
                new RegistryArtifacts(config.artifacts().url(), serviceHeaders(internal), config.artifacts().timeout()),
                new SecretsFile(config.secretsDirectory(), isolated),
                new RegistryReferences(config.artifacts().url(),
                        serviceHeaders(internal), config.artifacts().timeout(), json),
                events, Clock.systemUTC(), onGitHub);
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
