package dev.monkeytown.runner.github;

/** Workflow files as a repository using the GitHub Actions runner declares them. */
final class Workflows {

    /** The contract: dispatchable with input {@code run_id}, and the run id in the run's title. */
    static String dispatchable(String name) {
        return """
                name: agent %1$s
                run-name: "agent %1$s ${{ inputs.run_id }}"
                on:
                  workflow_dispatch:
                    inputs:
                      run_id:
                        description: Monkeytown run id
                        required: true
                jobs:
                  run:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "running ${{ inputs.run_id }}"
                """.formatted(name);
    }

    /** Dispatchable, but the title does not carry the run id. */
    static String untitled(String name) {
        return dispatchable(name).replace("run-name: \"agent " + name + " ${{ inputs.run_id }}\"\n", "");
    }

    /** Runs on push only: cannot be dispatched. */
    static String pushOnly(String name) {
        return """
                name: %s
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

    private Workflows() {
    }
}
