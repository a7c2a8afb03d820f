package dev.monkeytown.build.github;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.build.api.RegistryResource;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;

/**
 * build-service in GitHub mode against the GitHub double: state branch, {@code builds.yaml}, branch heads, the Actions
 * runner and commit statuses all talk to one double on localhost; outputs go to a real OCI registry standing in for
 * artifact-service. Intervals are short so reconciliation plays out in seconds; the head poll is long, so a push is
 * seen through its webhook.
 */
public class GitHubModeBuildsProfile implements QuarkusTestProfile {

    static final String OWNER = "monkeytown";
    static final String NAME = "monkeytown";
    /** One pipeline per test, so a build left active by one test never waits behind another's. */
    static final List<String> PIPELINES = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
            "hotel", "india", "lima", "mike");

    static final String BUILDS_YAML = """
            pipelines:
              alpha:
                workflow: build-alpha.yml
                branches: ["alpha"]
              bravo:
                workflow: build-bravo.yml
                retry: {limit: 1, on: [infra], backoff: 1s}
              charlie:
                workflow: build-charlie.yml
              delta:
                workflow: build-delta.yml
              echo:
                workflow: build-echo.yml
              foxtrot:
                workflow: build-foxtrot.yml
              golf:
                workflow: build-golf.yml
                outputs: ["dist/**"]
              hotel:
                workflow: build-hotel.yml
                outputs: ["dist/**"]
                retry: {limit: 0}
              india:
                workflow: build-india.yml
                branches: ["india"]
                outputs: ["dist/**"]
              lima:
                workflow: build-lima.yml
                branches: ["lima"]
                retry: {limit: 1, on: [infra], backoff: 1s}
              mike:
                workflow: build-mike.yml
                branches: ["mike"]
            """;

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
                Map.entry("monkeytown.github.unavailable-after", "2s"),
                Map.entry("monkeytown.state.unavailable-wait", "5s"),
                Map.entry("monkeytown.build.tick-interval", "100ms"),
                Map.entry("monkeytown.build.reconcile-interval", "1s"),
                Map.entry("monkeytown.build.github.poll-interval", "10m"),
                Map.entry("monkeytown.build.github.status-retry", "200ms"),
                Map.entry("monkeytown.build.parallelism", "8"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DoubleResource.class), new TestResourceEntry(RegistryResource.class));
    }

    public static class DoubleResource implements QuarkusTestResourceLifecycleManager {

        static GitHubDouble github;
        static HostedRepository repository;

        @Override
        public Map<String, String> start() {
            github = GitHubDouble.start();
            repository = github.repository(OWNER, NAME);
            // the declarations must be on main before the service reads them at start
            Map<String, String> files = new HashMap<>();
            PIPELINES.forEach(p -> files.put(BuildWorkflowFiles.path("build-" + p + ".yml"),
                    BuildWorkflowFiles.dispatchable(p)));
            files.put(".monkeytown/builds.yaml", BUILDS_YAML);
            files.put("build.sh", "#!/bin/sh\nmkdir -p dist && date > dist/built-at.txt\n");
            repository.commitFiles(HostedRepository.DEFAULT_BRANCH, files, "declare pipelines");
            return Map.of("monkeytown.github.api-url", github.apiUrl(), "monkeytown.github.login", github.login());
        }

        @Override
        public void stop() {
            github.closeRequiringValidRequests();
        }
    }
}
