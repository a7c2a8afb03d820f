package dev.monkeytown.deploy.alerts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.state.quarkus.GitHubConfig;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/** Where alerts are tracked is decided once, from the state backend, as {@code DeployMode} decides deploying. */
class AlertBeansTest {

    @Test
    void theLocalBackendRecordsOnlyAndNeverAsksForGitHub() {
        IssueTracker tracker = new AlertBeans().issues(state(StateStoreConfig.Backend.LOCAL),
                proxy(GitHubConfig.class, Map.of()), untouched(), alerts(), new ObjectMapper());
        assertSame(IssueTracker.RECORDS_ONLY, tracker);
        assertFalse(tracker.tracksIssues());
    }

    @Test
    void theGitHubBackendTracksIssuesWithTheStateStoresClient() throws Exception {
        GitHubAccess access = GitHubAccess.connect("ghp_unused", GitHubAccessOptions.forApi("http://127.0.0.1:9",
                "monkeytown-bot"), new SimpleMeterRegistry());
        @SuppressWarnings("unchecked")
        Instance<GitHubAccess> one = (Instance<GitHubAccess>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Instance.class}, (p, method, args) -> access);
        IssueTracker tracker = new AlertBeans().issues(state(StateStoreConfig.Backend.GITHUB),
                proxy(GitHubConfig.class, Map.of("repository", Optional.of("acme/town"))), one, alerts(),
                new ObjectMapper());
        assertInstanceOf(GitHubIssues.class, tracker);
        assertTrue(tracker.tracksIssues());

        IllegalStateException noRepository = assertThrows(IllegalStateException.class,
                () -> new AlertBeans().issues(state(StateStoreConfig.Backend.GITHUB),
                        proxy(GitHubConfig.class, Map.of("repository", Optional.empty())), one, alerts(),
                        new ObjectMapper()));
        assertTrue(noRepository.getMessage().contains("monkeytown.github.repository"), noRepository.getMessage());
    }

    private static StateStoreConfig state(StateStoreConfig.Backend backend) {
        return proxy(StateStoreConfig.class, Map.of("backend", backend));
    }

    private static AlertsConfig alerts() {
        return proxy(AlertsConfig.class, Map.of("label", "monkeytown-alert", "issuesPerHour", 10));
    }

    @SuppressWarnings("unchecked")
    private static Instance<GitHubAccess> untouched() {
        return (Instance<GitHubAccess>) Proxy.newProxyInstance(AlertBeansTest.class.getClassLoader(),
                new Class<?>[]{Instance.class}, (p, method, args) -> {
                    throw new AssertionError("GitHub access was asked for: " + method.getName());
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(AlertBeansTest.class.getClassLoader(), new Class<?>[]{type},
                (p, method, args) -> {
                    if (!answers.containsKey(method.getName())) {
                        throw new AssertionError("not expected to be read: " + method.getName());
                    }
                    return answers.get(method.getName());
                });
    }
}
