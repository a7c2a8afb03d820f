package dev.monkeytown.build.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.inject.Instance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.engine.BuildWatcher;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.Workspace;
import dev.monkeytown.state.fence.WriterFence;
import dev.monkeytown.state.quarkus.GitHubConfig;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * The wiring of {@link BuildBeans#watcher}: once another instance took the state branch over, this one's commit-status
 * poster is closed, so a late {@code pending} of the old leader never lands over the new leader's end state.
 */
class StepDownClosesStatusesTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final HostedRepository repo = github.repository("acme", "town");

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void aSteppedDownInstancePostsNoMoreCommitStatuses() throws Exception {
        String sha = repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        GitHubAccess access = GitHubAccess.connect("ghp_statuses-token", GitHubAccessOptions.forApi(github.apiUrl(),
                github.login()).withPacing(WritePacing.unpaced()), new SimpleMeterRegistry());
        WriterFence fence = new WriterFence("build-service-a", Clock.systemUTC());
        BuildWatcher watcher = new BuildBeans().watcher(config(StateStoreConfig.class,
                Map.of("backend", StateStoreConfig.Backend.GITHUB)), buildConfig(),
                config(GitHubConfig.class, Map.of("repository", Optional.of("acme/town"))), instance(access), fence);
        holdTheFence(fence);

        watcher.changed(pending("01JB0000000000000000000001", sha));
        await().atMost(Duration.ofSeconds(10)).until(() -> github.statuses().of("acme/town", sha,
                "monkeytown/build/app").size() == 1); // while leading, statuses go out

        // another instance took the branch over: the view refresh finds its name on the fence record
        fence.observe(Optional.of(new Document(WriterFence.PATH, "{\"instance\":\"build-service-b\",\"since\":\"now\"}"
                .getBytes(StandardCharsets.UTF_8))));
        assertTrue(fence.steppedDown().isPresent());
        watcher.changed(pending("01JB0000000000000000000002", sha).cancelled(Instant.now(), "ops"));

        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3))
                .until(() -> github.statuses().of("acme/town", sha, "monkeytown/build/app").size() == 1);
        assertEquals("pending", github.statuses().latest("acme/town", sha, "monkeytown/build/app").orElseThrow()
                .state(), "nothing posted after the step-down");
    }

    private static Build pending(String id, String sha) {
        Instant now = Instant.now();
        return Build.queued(id, "app", "main", sha, "t", BuildTrigger.MANUAL, "alice", now, null).dispatched(now)
                .withRunner(RunnerRef.of("github-actions").withExternalId("42")
                        .withUrl("https://github.com/acme/town/actions/runs/42"));
    }

    /** The fence as a leader holds it: its takeover committed. */
    private static void holdTheFence(WriterFence fence) {
        Map<String, byte[]> files = new TreeMap<>();
        fence.check(new Workspace() {
            @Override
            public Optional<Document> read(String path) {
                return Optional.ofNullable(files.get(path)).map(content -> new Document(path, content));
            }

            @Override
            public List<String> list(String prefix) {
                return new ArrayList<>(files.keySet());
            }

            @Override
            public void put(String path, byte[] content) {
                files.put(path, content);
            }

            @Override
            public void delete(String path) {
                files.remove(path);
            }
        });
        fence.committed();
    }

    private static BuildConfig buildConfig() {
        BuildConfig.Github github = config(BuildConfig.Github.class, Map.of("commitStatuses", true, "statusRetry",
                Duration.ofMillis(100)));
        return config(BuildConfig.class, Map.of("github", github));
    }

    @SuppressWarnings("unchecked")
    private static Instance<GitHubAccess> instance(GitHubAccess access) {
        return config(Instance.class, Map.of("get", access));
    }

    /** A hand-written stand-in for a config interface: the named methods answer their values, any other call fails. */
    @SuppressWarnings("unchecked")
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return type.getSimpleName();
            }
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
            }
            return values.get(method.getName());
        });
    }
}
