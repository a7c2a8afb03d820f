package dev.monkeytown.dispatcher.registry.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.monkeytown.dispatcher.registry.AgentsFile;
import dev.monkeytown.state.local.ExampleSeed;
import dev.monkeytown.state.local.ExampleSeed.ExampleFile;

/**
 * Gives the embedded suite's repository example agents, so it has something to run the moment it starts: one run by
 * hand, one on a schedule, one on change. build-service seeds the same branch with example pipelines; both follow
 * {@link ExampleSeed}'s rule, so either may start first and neither touches a repository someone has worked in.
 */
public final class ExampleAgents {

    private static final ExampleSeed SEED = new ExampleSeed(AgentsFile.PATH,
            List.of(file(AgentsFile.PATH, "agents.yaml"), file("README.md", "README.md"),
                    file("docs/welcome.md", "welcome.md")),
            "agent-dispatcher@services.monkeytown",
            "Seed example agents\n\nWritten by agent-dispatcher because the repository had none.\n");

    private ExampleAgents() {
    }

    /** @return whether the examples were committed (false when the branch is someone's work or has agents) */
    public static boolean seed(Path repositoryDirectory, String branch) throws IOException {
        return SEED.seed(repositoryDirectory, branch);
    }

    private static ExampleFile file(String path, String resource) {
        return ExampleFile.resource(ExampleAgents.class, path, "/example-repository/" + resource, false);
    }
}
