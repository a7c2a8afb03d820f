package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One GitHub Actions workflow run as the double keeps it. Values are immutable; a transition makes a new one.
 *
 * @param path the workflow file, {@code .github/workflows/<file>}
 * @param displayTitle what GitHub shows as the run's title: the workflow's {@code run-name} with its expressions
 *        evaluated, or the workflow's name
 * @param status {@code queued}, {@code in_progress} or {@code completed}
 * @param conclusion set once completed: {@code success}, {@code failure}, {@code cancelled}, {@code timed_out}, ...
 * @param runStartedAt when it last began executing; GitHub reports the creation time until then
 * @param runAttempt 1, then one more for each re-run ({@code rerun-failed-jobs}): the run keeps its id and title
 */
public record WorkflowRun(long id, long workflowId, String workflowName, String path, String displayTitle,
        String event, String headBranch, String headSha, long runNumber, String status, Optional<String> conclusion,
        Instant createdAt, Instant updatedAt, Instant runStartedAt, int runAttempt) {

    public WorkflowRun {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(conclusion, "conclusion");
        if (runAttempt < 1) {
            throw new IllegalArgumentException("run attempts count from 1");
        }
    }

    /** A run's first attempt. */
    public WorkflowRun(long id, long workflowId, String workflowName, String path, String displayTitle, String event,
            String headBranch, String headSha, long runNumber, String status, Optional<String> conclusion,
            Instant createdAt, Instant updatedAt, Instant runStartedAt) {
        this(id, workflowId, workflowName, path, displayTitle, event, headBranch, headSha, runNumber, status,
                conclusion, createdAt, updatedAt, runStartedAt, 1);
    }

    /** Its failed jobs run again: the next attempt, queued. */
    WorkflowRun rerun(Instant at) {
        return new WorkflowRun(id, workflowId, workflowName, path, displayTitle, event, headBranch, headSha, runNumber,
                "queued", Optional.empty(), createdAt, at, at, runAttempt + 1);
    }

    public boolean completed() {
        return status.equals("completed");
    }

    WorkflowRun inProgress(Instant at) {
        return new WorkflowRun(id, workflowId, workflowName, path, displayTitle, event, headBranch, headSha, runNumber,
                "in_progress", Optional.empty(), createdAt, at, at, runAttempt);
    }

    WorkflowRun complete(String newConclusion, Instant at) {
        return new WorkflowRun(id, workflowId, workflowName, path, displayTitle, event, headBranch, headSha, runNumber,
                "completed", Optional.of(newConclusion), createdAt, at, runStartedAt, runAttempt);
    }

    /** The {@code action} of the {@code workflow_run} webhook GitHub sends on reaching the current status. */
    public String webhookAction() {
        return switch (status) {
            case "in_progress" -> "in_progress";
            case "completed" -> "completed";
            default -> "requested";
        };
    }
}
