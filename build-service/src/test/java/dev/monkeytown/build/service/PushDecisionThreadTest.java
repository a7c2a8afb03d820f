package dev.monkeytown.build.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.monkeytown.build.engine.BuildBook;
import dev.monkeytown.build.engine.BuildEngine;
import dev.monkeytown.build.engine.OutputPublisher;
import dev.monkeytown.build.engine.RunTarget;
import dev.monkeytown.build.pipeline.SourceRepository;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * A push decided again because the recorded head moved while it was decided: the retry compares commits on GitHub
 * ({@link SourceRepository#isLater}), so it must go on off the engine's loop thread, which completes the engine's
 * answer.
 */
class PushDecisionThreadTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);
    private static final String MAIN = "d".repeat(40);

    private BuildEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aRetriedCompareDoesNotRunOnTheEnginesLoopThread() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        List<String> compareThreads = new CopyOnWriteArrayList<>();
        // while set, each turn of the engine's loop takes a while: its answers complete on the loop thread, after
        // the caller attached what follows (an idle loop can answer before that, and the caller runs it itself)
        AtomicBoolean busyLoop = new AtomicBoolean();
        SourceRepository repository = new SourceRepository() {
            @Override
            public Optional<Commit> head(String branch) {
                return Optional.of(new Commit(MAIN, "tree-main"));
            }

            @Override
            public String tree(String sha) {
                return "tree-" + sha.charAt(0);
            }

            @Override
            public String buildsYaml(String sha) {
                return "pipelines: {app: {workflow: build-app.yml, branches: [dev]}}";
            }

            @Override
            public boolean isLater(String recorded, String candidate) {
                compareThreads.add(Thread.currentThread().getName());
                if (compareThreads.size() == 1) {
                    // another push (a poll, a webhook) is recorded while this one is being decided
                    engine.headSeen("dev", B, "tree-b").orTimeout(10, TimeUnit.SECONDS).join();
                    busyLoop.set(true);
                } else {
                    busyLoop.set(false);
                }
                return true;
            }

            @Override
            public RunTarget runTarget() {
                return RunTarget.BRANCH;
            }
        };
        Pipelines pipelines = new Pipelines(repository, "main");
        pipelines.refresh();
        // no automatic build a day: nothing is dispatched, only heads are decided
        engine = new BuildEngine(new BuildEngine.Settings("build-service", 1, 0, Duration.ofMillis(10),
                Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(5)),
                new GroupCommitStateBranch("build-service", new InMemoryRepository().branch("build-service"),
                        StateBranchOptions.defaults()),
                new BuildBook(json), () -> {
                    if (busyLoop.get()) {
                        sleep(100);
                    }
                    return pipelines.catalog();
                }, runner(), RunTarget.BRANCH, OutputPublisher.NONE,
                (type, subject, data) -> {
                }, Clock.systemUTC());
        engine.start();
        engine.restored().orTimeout(10, TimeUnit.SECONDS).join();
        engine.headSeen("dev", A, "tree-a").orTimeout(10, TimeUnit.SECONDS).join();
        await().until(() -> A.equals(engine.view().heads().get("dev")));
        BuildLifecycle lifecycle = new BuildLifecycle(engine, pipelines, repository, null, null, null, null, null,
                config());

        // a push from a commit that is not the recorded one: compared, then decided against the recorded head
        List<String> queued = lifecycle.pushed("dev", MAIN, C, "tree-c").get(10, TimeUnit.SECONDS);

        assertEquals(List.of("app"), queued);
        assertEquals(C, engine.view().heads().get("dev"));
        assertTrue(compareThreads.size() >= 2, "decided again: " + compareThreads);
        compareThreads.subList(1, compareThreads.size())
                .forEach(thread -> assertFalse(thread.equals("build-loop"), "compared on " + compareThreads));
        // nor on ForkJoinPool.commonPool(), which has one thread on one CPU and serves everyone else in the JVM: on
        // build-service's own small pool, shut down when it stops or steps down
        compareThreads.subList(1, compareThreads.size()).forEach(thread -> assertTrue(
                thread.startsWith("build-push-decision-"), "compared on " + compareThreads));
        lifecycle.stop();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Runner runner() {
        return (Runner) Proxy.newProxyInstance(Runner.class.getClassLoader(), new Class<?>[]{Runner.class},
                (proxy, method, args) -> method.getName().equals("kind") ? "fake" : null);
    }

    private static BuildConfig config() {
        BuildConfig.Github github = (BuildConfig.Github) Proxy.newProxyInstance(BuildConfig.class.getClassLoader(),
                new Class<?>[]{BuildConfig.Github.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "pollInterval" -> Duration.ofMinutes(10);
                    case "forcePushSettle" -> Duration.ofMinutes(2);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (BuildConfig) Proxy.newProxyInstance(BuildConfig.class.getClassLoader(),
                new Class<?>[]{BuildConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("github")) {
                        return github;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
