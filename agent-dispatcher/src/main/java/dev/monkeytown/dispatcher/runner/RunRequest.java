package dev.monkeytown.dispatcher.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import dev.monkeytown.dispatcher.queue.AgentName;
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
        AgentName.require(agent);
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
