package dev.monkeytown.state.quarkus;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.github.testdouble.GitHubDouble;

/** Runs the service in GitHub mode against the GitHub double on localhost. */
public class GitHubModeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("monkeytown.state.backend", "github", "monkeytown.github.repository", "monkeytown/monkeytown",
                "monkeytown.github.token", "ghp_test-token-for-the-double",
                "monkeytown.github.writes.min-interval", "0s", "monkeytown.github.budget.share", "0.5");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DoubleResource.class));
    }

    public static class DoubleResource implements QuarkusTestResourceLifecycleManager {

        static GitHubDouble github;

        @Override
        public Map<String, String> start() {
            github = GitHubDouble.start();
            github.repository("monkeytown", "monkeytown");
            return Map.of("monkeytown.github.api-url", github.apiUrl(), "monkeytown.github.login", github.login());
        }

        @Override
        public void stop() {
            github.close();
        }
    }
}
