package dev.monkeytown.deploy.github;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;

/**
 * deploy-service in GitHub mode against the GitHub double: its state branch, the environments, the environment
 * branches, the {@code deploy-<env>.yml} dispatches and the deployments Actions makes all on one double, with
 * intervals short enough that reconciliation plays out in seconds. One environment per test, so no test's deployment
 * holds another's environment.
 */
public class GitHubModeProfile implements QuarkusTestProfile {

    static final String OWNER = "monkeytown";
    static final String NAME = "monkeytown";
    /**
     * beta and delta revert on failure, the others alert; epsilon has required reviewers on GitHub; zeta is measured;
     * eta meets an outage; theta has required reviewers and a person who runs its workflow by hand; iota (reverting
     * on failure) has required reviewers who reject; kappa's run reads lag; lambda (reverting on failure) has a
     * token that may not dispatch its workflow; mu has a person who runs its workflow by hand; nu's branch is
     * protected against the service's token; xi (reverting on failure) has a token that may not dispatch its
     * revert; omicron's workflow run disappears; pi (reverting on failure) has its revert's workflow run disappear.
     */
    static final List<String> ENVIRONMENTS = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
            "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("monkeytown.state.backend", "github"),
                Map.entry("monkeytown.github.repository", OWNER + "/" + NAME),
                Map.entry("monkeytown.github.token", "ghp_test-token-for-the-double"),
                Map.entry("monkeytown.github.writes.min-interval", "0s"),
                Map.entry("monkeytown.github.writes.per-minute", "100000"),
                Map.entry("monkeytown.github.writes.per-hour", "1000000"),
                Map.entry("monkeytown.github.unavailable-after", "2s"),
                Map.entry("monkeytown.state.unavailable-wait", "5s"),
                Map.entry("monkeytown.deploy.tick-interval", "100ms"),
                Map.entry("monkeytown.deploy.poll-interval", "1s"),
                Map.entry("monkeytown.deploy.github.reconcile-interval", "1s"),
                Map.entry("monkeytown.deploy.github.appear-within", "10s"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DoubleResource.class));
    }

    /** The workflow a repository deploying with the GitHub Actions runner holds for an environment. */
    public static String deployWorkflow(String environment) {
        return """
                name: deploy %1$s
                run-name: "deploy %1$s ${{ inputs.deployment_id }}"
                on:
                  workflow_dispatch:
                    inputs:
                      deployment_id:
                        required: true
                      sha:
                        required: true
                      commit:
                        required: true
                      kind:
                        required: true
                      artifacts:
                        required: true
                jobs:
                  deploy:
                    runs-on: ubuntu-latest
                    environment: %1$s
                    steps:
                      - uses: actions/checkout@v4
                        with:
                          ref: ${{ inputs.commit }}
                      - run: ./deploy.sh
                        env:
                          MONKEYTOWN_ARTIFACTS_JSON: ${{ inputs.artifacts }}
                """.formatted(environment);
    }

    public static class DoubleResource implements QuarkusTestResourceLifecycleManager {

        static GitHubDouble github;
        static HostedRepository repository;

        @Override
        public Map<String, String> start() {
            github = GitHubDouble.start();
            repository = github.repository(OWNER, NAME);
            Map<String, String> files = new HashMap<>();
            StringBuilder yaml = new StringBuilder("environments:\n");
            for (String environment : ENVIRONMENTS) {
                files.put(".github/workflows/deploy-" + environment + ".yml", deployWorkflow(environment));
                String onFailure = environment.equals("beta") || environment.equals("delta")
                        || environment.equals("iota") || environment.equals("lambda") || environment.equals("xi")
                        || environment.equals("pi")
                                ? "revert"
                                : "alert";
                yaml.append("  ").append(environment).append(": {branch: main, requires: [site], command: ./deploy.sh,"
                        + " onFailure: ").append(onFailure).append("}\n");
            }
            files.put(".monkeytown/environments.yaml", yaml.toString());
            files.put("deploy.sh", "#!/bin/sh\necho deploying\n");
            repository.commitFiles(HostedRepository.DEFAULT_BRANCH, files, "declare environments");
            repository.deployments().requireReviewers("epsilon");
            repository.deployments().requireReviewers("theta");
            repository.deployments().requireReviewers("iota");
            return Map.of("monkeytown.github.api-url", github.apiUrl(), "monkeytown.github.login", github.login());
        }

        @Override
        public void stop() {
            github.closeRequiringValidRequests();
        }
    }
}
