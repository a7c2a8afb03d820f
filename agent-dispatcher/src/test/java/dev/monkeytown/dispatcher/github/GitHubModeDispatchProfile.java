package dev.monkeytown.dispatcher.github;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;

/**
 * The dispatcher in GitHub mode against the GitHub double: state branch, declarations and the Actions runner all talk
 * to one double on localhost, with intervals short enough that reconciliation and outages play out in seconds.
 */
public class GitHubModeDispatchProfile implements QuarkusTestProfile {

    static final String OWNER = "monkeytown";
    static final String NAME = "monkeytown";
    static final String REPOSITORY = OWNER + "/" + NAME;
    /** One agent per test, so a run left active by one test never queues another test's run behind it. */
    static final List<String> AGENTS = List.of("alpha", "bravo", "charlie", "delta", "echo");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("monkeytown.state.backend", "github"),
                Map.entry("monkeytown.github.repository", OWNER + "/" + NAME),
                Map.entry("monkeytown.github.token", "ghp_test-token-for-the-double"),
                // unpaced: a test must not wait a second per state commit, nor hit the hourly budget
                Map.entry("monkeytown.github.writes.min-interval", "0s"),
                Map.entry("monkeytown.github.writes.per-minute", "100000"),
                Map.entry("monkeytown.github.writes.per-hour", "1000000"),
                // an outage is noticed in seconds, not the production half-minute
                Map.entry("monkeytown.github.unavailable-after", "2s"),
                Map.entry("monkeytown.state.unavailable-wait", "5s"),
                Map.entry("monkeytown.dispatcher.tick-interval", "100ms"),
                Map.entry("monkeytown.dispatcher.reconcile-interval", "1s"),
                Map.entry("monkeytown.dispatcher.registry-interval", "1s"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DoubleResource.class));
    }

    public static class DoubleResource implements QuarkusTestResourceLifecycleManager {

        static GitHubDouble github;
        static HostedRepository repository;

        @Override
        public Map<String, String> start() {
            github = GitHubDouble.start();
            repository = github.repository(OWNER, NAME);
            // the declarations must be on main before the service reads them at start
            Map<String, String> files = new HashMap<>(AgentWorkflowFiles.forAgents(AGENTS));
            files.put(".monkeytown/agents.yaml", "agents:\n  alpha:\n    timeout: 10m\n  echo:\n    paths: [\"docs/**\"]\n");
            repository.commitFiles(HostedRepository.DEFAULT_BRANCH, files, "declare agents");
            return Map.of("monkeytown.github.api-url", github.apiUrl(), "monkeytown.github.login", github.login());
        }

        @Override
        public void stop() {
            github.closeRequiringValidRequests();
        }
    }
}
