package dev.monkeytown.dispatcher.runner.github;

import dev.monkeytown.dispatcher.github.AgentWorkflowFiles;

/** Workflow files as a repository using the GitHub Actions runner declares them. */
final class AgentWorkflows {

    /** The contract: dispatchable with input {@code run_id}, and the run id in the run's title. */
    static String agent(String name) {
        return AgentWorkflowFiles.dispatchable(name);
    }

    /** Dispatchable, but the title does not carry the run id. */
    static String untitled(String name) {
        return agent(name).replace("run-name: \"agent " + name + " ${{ inputs.run_id }}\"\n", "");
    }

    /** Runs on push only: cannot be dispatched. */
    static String pushOnly(String name) {
        return """
                name: agent %s
                on:
                  push:
                    branches: [main]
                jobs:
                  run:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo hello
                """.formatted(name);
    }

    private AgentWorkflows() {
    }
}
