package dev.monkeytown.dispatcher.github;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** Agent workflows as a repository using the GitHub Actions runner holds them on its default branch. */
public final class AgentWorkflowFiles {

    /** {@code .github/workflows/agent-<name>.yml} for each agent, keyed by path. */
    public static Map<String, String> forAgents(Collection<String> agents) {
        return agents.stream().collect(Collectors.toMap(agent -> ".github/workflows/agent-" + agent + ".yml",
                AgentWorkflowFiles::dispatchable));
    }

    /** Dispatchable with input {@code run_id}, which the run's title carries: the runner's contract. */
    public static String dispatchable(String agent) {
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
                """.formatted(agent);
    }

    private AgentWorkflowFiles() {
    }
}
