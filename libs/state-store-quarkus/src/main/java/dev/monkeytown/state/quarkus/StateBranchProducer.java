package dev.monkeytown.state.quarkus;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.fence.FencedStateBranch;
import dev.monkeytown.state.fence.WriterFence;
import dev.monkeytown.state.github.GitHubBranchBackend;
import dev.monkeytown.state.local.LocalGitRepository;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * The service's own state branch, {@code monkeytown/state/<quarkus.application.name>}, on the configured backend.
 * Opened lazily on first use so a service starts (and reports why it is not ready) even when the store is not.
 */
@Singleton
public class StateBranchProducer {

    private LocalGitRepository localRepository;

    @Produces
    @Singleton
    @Typed(GroupCommitStateBranch.class)
    GroupCommitStateBranch stateBranch(StateStoreConfig config, GitHubConfig github, Instance<GitHubAccess> access,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        BranchBackend backend = switch (config.backend()) {
            case LOCAL -> openLocal(config).branch(service);
            case GITHUB -> new GitHubBranchBackend(access.get(), required(github.repository(), "repository"), service);
        };
        Log.infof("State branch %s on the %s backend", StateBranch.branchFor(service),
                config.backend().name().toLowerCase());
        StateBranchOptions options = StateBranchOptions.defaults()
                .withUnavailableWait(config.unavailableWait(), StateBranchOptions.defaults().retryBackoff(),
                        StateBranchOptions.defaults().maxRetryBackoff())
                .withObjectCacheBytes(config.cacheBytes());
        return new GroupCommitStateBranch(service, backend, options);
    }

    /** This process's claim to be its branch's one writer ({@code monkeytown.state.single-writer}). */
    @Produces
    @Singleton
    WriterFence writerFence(@ConfigProperty(name = "quarkus.application.name") String service) {
        String host = System.getenv().getOrDefault("HOSTNAME", service);
        return new WriterFence(host + "-" + UUID.randomUUID().toString().substring(0, 8), Clock.systemUTC());
    }

    /**
     * The branch the service's code writes through: fenced so that only the newest instance writes, unless
     * {@code monkeytown.state.single-writer=false}.
     */
    @Produces
    @Singleton
    StateBranch fencedBranch(GroupCommitStateBranch branch, WriterFence fence, StateStoreConfig config) {
        return config.singleWriter() ? new FencedStateBranch(branch, fence) : branch;
    }

    /**
     * The service's one GitHub client in GitHub mode, shared by the state branch and anything else of the service that
     * talks to GitHub (the dispatcher's Actions runner), so all of them are paced and counted against one budget.
     */
    @Produces
    @Singleton
    GitHubAccess gitHubAccess(StateStoreConfig config, GitHubConfig github, MeterRegistry registry) {
        if (config.backend() != StateStoreConfig.Backend.GITHUB) {
            throw new IllegalStateException("GitHub access needs monkeytown.state.backend=github");
        }
        return connect(github, registry);
    }

    void close(@Disposes GroupCommitStateBranch branch) {
        branch.close();
        if (localRepository != null) {
            localRepository.close();
        }
    }

    private static GitHubAccess connect(GitHubConfig config, MeterRegistry registry) {
        GitHubAccessOptions options = GitHubAccessOptions.forApi(config.apiUrl(), required(config.login(), "login"))
                .withUnavailableAfter(config.unavailableAfter())
                .withPacing(new WritePacing(config.writes().minInterval(), config.writes().perMinute(),
                        config.writes().perHour(), config.writes().maxInFlight()).shared(config.budget().share()));
        try {
            return GitHubAccess.connect(required(config.token(), "token"), options, registry);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up the GitHub client for " + config.apiUrl(), e);
        }
    }

    private static String required(Optional<String> value, String name) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                "monkeytown.state.backend=github needs monkeytown.github." + name + " (env MONKEYTOWN_GITHUB_"
                        + name.toUpperCase() + ")"));
    }

    private synchronized LocalGitRepository openLocal(StateStoreConfig config) {
        if (localRepository == null) {
            localRepository = LocalGitRepository.openOrCreate(config.localRepository());
        }
        return localRepository;
    }
}
