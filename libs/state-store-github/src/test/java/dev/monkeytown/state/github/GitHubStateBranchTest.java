package dev.monkeytown.state.github;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.state.StateBranchContractTest;
import dev.monkeytown.state.spi.BranchBackend;

/** The state-branch contract on GitHub: the engine over the GitHub backend over HTTP to the GitHub double. */
class GitHubStateBranchTest extends StateBranchContractTest {

    private GitHubDouble github;

    @BeforeEach
    void startGitHub() {
        github = GitHubDouble.start();
        github.repository("monkeytown", "monkeytown");
    }

    @Override
    protected BranchBackend newBackend(String service) {
        // a client per backend: own ETag cache, own connections, like another replica with its own token use
        GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login())
                .withPacing(WritePacing.unpaced()).withUnavailableAfter(Duration.ofSeconds(10));
        try {
            GitHubAccess client = GitHubAccess.connect("ghp_contract-token", options, new SimpleMeterRegistry());
            return new GitHubBranchBackend(client, "monkeytown/monkeytown", service);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void noRequestGitHubWouldRefuse() {
        github.closeRequiringValidRequests();
    }
}
