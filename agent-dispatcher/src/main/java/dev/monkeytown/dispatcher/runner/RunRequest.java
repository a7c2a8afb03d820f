package dev.monkeytown.dispatcher.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.monkeytown.dispatcher.queue.RunIds;

/**
 * One run to execute.
 *
 * @param repository a local Git repository; the agent works in a fresh clone of it, never in it directly
 * @param ref the branch or tag the clone checks out
 * @param timeout how long the agent's process may run, counted from its start (checkout time is not charged to the agent)
 */
public record RunRequest(String runId, String agent, AgentCommand command, Duration timeout, Path repository,
        String ref) {

    // The agent name becomes part of a branch name and an environment value, so it is kept to what is safe in both.
    private static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public RunRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(ref, "ref");
        // The id names the log file and the scratch directory; accepting only run ids keeps paths inside their roots.
        if (!RunIds.isRunId(runId)) {
            throw new IllegalArgumentException("not a run id: '" + runId + "'");
        }
        if (!AGENT_NAME.matcher(agent).matches()) {
            throw new IllegalArgumentException("agent name '" + agent
                    + "' must be letters, digits, '-' or '_' (at most 64), starting with a letter or digit");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (ref.isBlank()) {
            throw new IllegalArgumentException("ref must not be blank");
        }
    }

    /** The branch the agent commits to; pushed back to the repository as the local counterpart of a pull request. */
    public String branch() {
        return branchFor(agent, runId);
    }

    public static String branchFor(String agent, String runId) {
        return "agents/" + agent + "/" + runId;
    }
}
