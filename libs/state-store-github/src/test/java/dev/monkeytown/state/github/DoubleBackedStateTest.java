package dev.monkeytown.state.github;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;

/**
 * The GitHub backend against a fresh GitHub double over HTTP, with waits shortened for tests. Every test ends with
 * no request GitHub would have refused.
 */
abstract class DoubleBackedStateTest {

    static final String REPOSITORY = "monkeytown/monkeytown";
    static final Duration WAIT = Duration.ofSeconds(20);

    final GitHubDouble github = GitHubDouble.start();

    DoubleBackedStateTest() {
        github.repository("monkeytown", "monkeytown");
    }

    GitHubAccess client(WritePacing pacing, Duration unavailableAfter) {
        GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login()).withPacing(pacing)
                .withUnavailableAfter(unavailableAfter).withRequestTimeout(Duration.ofSeconds(2));
        try {
            return GitHubAccess.connect("ghp_test-token", options, new SimpleMeterRegistry());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GitHubBranchBackend backend(String service) {
        return new GitHubBranchBackend(client(WritePacing.unpaced(), Duration.ofSeconds(5)), REPOSITORY, service);
    }

    static StateBranchOptions engineOptions() {
        return StateBranchOptions.defaults().withUnavailableWait(Duration.ofSeconds(10), Duration.ofMillis(20),
                Duration.ofMillis(200));
    }

    GroupCommitStateBranch branch(String service) {
        return new GroupCommitStateBranch(service, backend(service), engineOptions());
    }

    static Change put(String path, String json) {
        return new Change("put " + path, Actor.user("alice"), w -> w.put(path, json));
    }

    @AfterEach
    void noRequestGitHubWouldRefuse() {
        github.closeRequiringValidRequests();
    }
}
