package dev.monkeytown.build.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.monkeytown.state.local.ExampleSeed;
import dev.monkeytown.state.local.ExampleSeed.ExampleFile;

/**
 * Gives the embedded suite's repository example pipelines: one that builds a small site from the repository's Markdown
 * and stores it, one that fails on demand. agent-dispatcher seeds the same branch with example agents; both follow
 * {@link ExampleSeed}'s rule, so either may start first.
 */
public final class ExamplePipelines {

    private static final ExampleSeed SEED = new ExampleSeed(BuildsFile.PATH,
            List.of(file(BuildsFile.PATH, "builds.yaml", false), file("build/site.sh", "site.sh", true),
                    file("build/check.sh", "check.sh", true)),
            "build-service@services.monkeytown",
            "Seed example pipelines\n\nWritten by build-service because the repository had none.\n");

    private ExamplePipelines() {
    }

    /** @return whether the examples were committed */
    public static boolean seed(Path repositoryDirectory, String branch) throws IOException {
        return SEED.seed(repositoryDirectory, branch);
    }

    private static ExampleFile file(String path, String resource, boolean executable) {
        return ExampleFile.resource(ExamplePipelines.class, path, "/example-repository/" + resource, executable);
    }
}
