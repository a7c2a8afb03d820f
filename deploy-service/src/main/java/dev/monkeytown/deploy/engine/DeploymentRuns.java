package dev.monkeytown.deploy.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.runner.RunSpec;

/**
 * Turns a deployment's two steps into what the runner executes: {@code <id>-deploy} runs the environment's command,
 * {@code <id>-health} its health check, both with {@code /bin/sh -c} in a scratch checkout of the deployment's commit on
 * {@code environments/<env>} (whose tree is the deployed tree).
 */
public final class DeploymentRuns {

    /** The two steps of a deployment. */
    public enum Step {
        DEPLOY, HEALTH;

        String suffix() {
            return this == DEPLOY ? "-deploy" : "-health";
        }
    }

    /** A run id taken apart. */
    public record RunOf(String deploymentId, Step step) {
    }

    private DeploymentRuns() {
    }

    public static String runId(Deployment deployment, Step step) {
        return deployment.id() + step.suffix();
    }

    public static Optional<RunOf> parse(String runId) {
        for (Step step : Step.values()) {
            if (runId.endsWith(step.suffix())) {
                return Optional.of(new RunOf(runId.substring(0, runId.length() - step.suffix().length()), step));
            }
        }
        return Optional.empty();
    }

    /**
     * The command sees {@code MONKEYTOWN_ENVIRONMENT}, {@code MONKEYTOWN_DEPLOYMENT_ID}, {@code MONKEYTOWN_SHA} (the
     * source commit), {@code MONKEYTOWN_DEPLOYMENT_KIND}, {@code MONKEYTOWN_ARTIFACTS} and
     * {@code MONKEYTOWN_ENVIRONMENT_DIR}. Secrets are given only to a deployment an operator approved in an environment
     * that requires approval: nothing else may read them.
     */
    public static RunSpec spec(Deployment deployment, Environment environment, Step step, Path artifacts,
            Path environmentDirectory, Map<String, String> secrets) {
        Map<String, String> variables = new HashMap<>();
        variables.put("MONKEYTOWN_ENVIRONMENT", deployment.environment());
        variables.put("MONKEYTOWN_DEPLOYMENT_ID", deployment.id());
        variables.put("MONKEYTOWN_SHA", deployment.sha());
        variables.put("MONKEYTOWN_DEPLOYMENT_KIND", deployment.kind().jsonName());
        variables.put("MONKEYTOWN_ARTIFACTS", artifacts.toAbsolutePath().toString());
        variables.put("MONKEYTOWN_ENVIRONMENT_DIR", environmentDirectory.toAbsolutePath().toString());
        String script = step == Step.DEPLOY ? environment.command() : environment.health().orElseThrow();
        boolean mayHaveSecrets = environment.approval() && deployment.isApproved();
        return new RunSpec(runId(deployment, step), "environments/" + deployment.environment(),
                Optional.of(deployment.environmentCommit()),
                Optional.of(List.of("/bin/sh", "-c", script)), Optional.empty(), variables, Set.of(), Optional.empty(),
                mayHaveSecrets ? secrets : Map.of(), environment.timeout());
    }
}
