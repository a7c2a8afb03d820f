package dev.monkeytown.runner.github;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;

/**
 * A GitHub workflow run as the REST API and {@code workflow_run} webhooks describe it (both use the same
 * {@code workflow-run} shape), reduced to what the runner needs.
 *
 * @param event what started it: {@code workflow_dispatch} for the runs this runner starts, {@code pull_request},
 *        {@code push}, ... for everything else
 * @param path the workflow file, {@code .github/workflows/<file>}
 */
record WorkflowRunReport(String workflowRunId, String displayTitle, String event, String path, String status,
        Optional<String> conclusion, Optional<String> htmlUrl, Optional<Instant> createdAt,
        Optional<Instant> runStartedAt, Optional<Instant> updatedAt, int runAttempt) {

    static WorkflowRunReport from(JsonNode run) {
        return new WorkflowRunReport(run.path("id").asText(), run.path("display_title").asText(""),
                run.path("event").asText(""), run.path("path").asText(""), run.path("status").asText(""),
                text(run, "conclusion"), text(run, "html_url"), time(run, "created_at"), time(run, "run_started_at"),
                time(run, "updated_at"), Math.max(1, run.path("run_attempt").asInt(1)));
    }

    /**
     * Workflows must set {@code run-name: "<anything> ${{ inputs.run_id }}"}, so a run's id is one word of the
     * title: the only way to recognise a run GitHub started without telling us its id (a 204 dispatch, a lost answer).
     */
    boolean titleNames(String runId) {
        return titleNames(displayTitle, runId);
    }

    static boolean titleNames(String displayTitle, String runId) {
        return Arrays.asList(displayTitle.split("[^0-9A-Za-z_-]+")).contains(runId);
    }

    RunnerRef ref(String kind, Optional<RunnerRef> known) {
        RunnerRef ref = known.orElse(RunnerRef.of(kind)).withExternalId(workflowRunId).withAttempt(runAttempt);
        return htmlUrl.map(ref::withUrl).orElse(ref);
    }

    RunnerTruth truth(RunnerRef ref, Instant now) {
        return switch (status) {
            case "in_progress" -> new RunnerTruth.Running(ref, startedAt(now));
            case "completed" -> new RunnerTruth.Finished(ref, outcome(now));
            // queued, requested, waiting, pending, and any status GitHub adds later: accepted, not running yet
            default -> new RunnerTruth.Pending(ref);
        };
    }

    boolean completed() {
        return status.equals("completed");
    }

    Instant startedAt(Instant fallback) {
        return runStartedAt.or(() -> updatedAt).orElse(fallback);
    }

    RunOutcome outcome(Instant fallback) {
        Instant at = updatedAt.orElse(fallback);
        String concluded = conclusion.orElse("without a conclusion");
        return switch (concluded) {
            // the workflow, not the runner, pushes its branch; whether it did is not in the run's status
            case "success" -> new RunOutcome.Succeeded(false, at);
            case "cancelled" -> new RunOutcome.Cancelled(at);
            case "timed_out" -> new RunOutcome.TimedOut(at);
            default -> new RunOutcome.Failed(OptionalInt.empty(), GitHubActionsRunner.CONCLUDED + concluded, at);
        };
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Optional<Instant> time(JsonNode node, String field) {
        try {
            return text(node, field).map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
