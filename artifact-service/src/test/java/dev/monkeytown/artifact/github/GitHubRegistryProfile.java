package dev.monkeytown.artifact.github;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.github.testdouble.GitHubDouble;

/**
 * artifact-service in GitHub mode against the GitHub double: the state branch over REST and GraphQL, blobs through the
 * double's Git LFS batch API and storage host. The double fails the run if any request was one GitHub would refuse.
 */
public class GitHubRegistryProfile implements QuarkusTestProfile {

    public static final String OWNER = "monkeytown";
    public static final String NAME = "monkeytown";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(Map.entry("monkeytown.state.backend", "github"),
                Map.entry("monkeytown.github.repository", OWNER + "/" + NAME),
                Map.entry("monkeytown.github.token", "ghp_test-token-for-the-double"),
                // unpaced: a test must not wait a second per state commit
                Map.entry("monkeytown.github.writes.min-interval", "0s"),
                Map.entry("monkeytown.github.writes.per-minute", "100000"),
                Map.entry("monkeytown.github.writes.per-hour", "1000000"),
                Map.entry("monkeytown.github.unavailable-after", "3s"),
                Map.entry("monkeytown.state.unavailable-wait", "5s"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DoubleResource.class));
    }

    public static class DoubleResource implements QuarkusTestResourceLifecycleManager {

        public static GitHubDouble github;

        @Override
        public Map<String, String> start() {
            github = GitHubDouble.start();
            github.repository(OWNER, NAME);
            return Map.of("monkeytown.github.api-url", github.apiUrl(), "monkeytown.github.login", github.login(),
                    "monkeytown.artifacts.lfs-url", github.lfsUrl(OWNER, NAME));
        }

        @Override
        public void stop() {
            github.closeRequiringValidRequests();
        }
    }
}
