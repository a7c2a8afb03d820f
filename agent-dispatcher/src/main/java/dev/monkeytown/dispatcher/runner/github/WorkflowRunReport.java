package dev.monkeytown.dispatcher.runner.github;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.dispatcher.queue.RunIds;
import dev.monkeytown.dispatcher.runner.RunOutcome;
import dev.monkeytown.dispatcher.runner.RunnerRef;
import dev.monkeytown.dispatcher.runner.RunnerTruth;

/**
 * A GitHub workflow run as the REST API and {@code workflow_run} webhooks describe it (both use the same
 * {@code workflow-run} shape), reduced to what the dispatcher needs.
 *
 * @param runId the Monkeytown run id found in the run's title; empty for workflow runs that are not Monkeytown's
 */
record WorkflowRunReport(String workflowRunId, Optional<String> runId, String status, Optional<String> conclusion,
        Optional<String> htmlUrl, Optional<Instant> runStartedAt, Optional<Instant> updatedAt) {

    static WorkflowRunReport from(JsonNode run) {
        return new WorkflowRunReport(run.path("id").asText(), runIdIn(run.path("display_title").asText("")),
                run.path("status").asText(""), text(run, "conclusion"), text(run, "html_url"),
                time(run, "run_started_at"), time(run, "updated_at"));
    }

    /**
     * Agent workflows must set {@code run-name: "<anything> ${{ inputs.run_id }}"}, so the run id is one word of the
     * title: the only way to recognise a run GitHub started without telling us its id (a 204 dispatch).
     */
    static Optional<String> runIdIn(String displayTitle) {
        return Arrays.stream(displayTitle.split("[^0-9A-Za-z]+")).filter(RunIds::isRunId).findFirst();
    }

    RunnerRef ref(String kind, Optional<RunnerRef> known) {
        RunnerRef ref = known.orElse(RunnerRef.of(kind)).withExternalId(workflowRunId);
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

    Instant startedAt(Instant fallback) {
        return runStartedAt.or(() -> updatedAt).orElse(fallback);
    }

    RunOutcome outcome(Instant fallback) {
        Instant at = updatedAt.orElse(fallback);
        String concluded = conclusion.orElse("without a conclusion");
        return switch (concluded) {
            // the workflow, not the runner, pushes the agent's branch; whether it did is not in the run's status
            case "success" -> new RunOutcome.Succeeded(false, at);
            case "cancelled" -> new RunOutcome.Cancelled(at);
            case "timed_out" -> new RunOutcome.TimedOut(at);
            default -> new RunOutcome.Failed(OptionalInt.empty(), "workflow run concluded " + concluded, at);
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
