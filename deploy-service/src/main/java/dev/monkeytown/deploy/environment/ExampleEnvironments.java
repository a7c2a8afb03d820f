package dev.monkeytown.deploy.environment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.monkeytown.state.local.ExampleSeed;
import dev.monkeytown.state.local.ExampleSeed.ExampleFile;

/**
 * Gives the embedded suite's repository two example environments, {@code staging} and {@code production}, whose
 * commands deploy the example {@code site} pipeline's output into {@code $MONKEYTOWN_ENVIRONMENT_DIR} and whose health
 * check reads it back. build-service and agent-dispatcher seed the same branch; all follow {@link ExampleSeed}'s rule,
 * so any may start first.
 */
public final class ExampleEnvironments {

    private static final ExampleSeed SEED = new ExampleSeed(EnvironmentsFile.PATH,
            List.of(file(EnvironmentsFile.PATH, "environments.yaml", false), file("deploy/deploy.sh", "deploy.sh", true),
                    file("deploy/health.sh", "health.sh", true)),
            "deploy-service@services.monkeytown",
            "Seed example environments\n\nWritten by deploy-service because the repository had none.\n");

    private ExampleEnvironments() {
    }

    /** @return whether the examples were committed */
    public static boolean seed(Path repositoryDirectory, String branch) throws IOException {
        return SEED.seed(repositoryDirectory, branch);
    }

    private static ExampleFile file(String path, String resource, boolean executable) {
        return ExampleFile.resource(ExampleEnvironments.class, path, "/example-repository/" + resource, executable);
    }
}
