package dev.monkeytown.dispatcher.runner.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.dispatcher.runner.LogExcerpt;
import dev.monkeytown.dispatcher.runner.RunListener;
import dev.monkeytown.dispatcher.runner.RunRejectedException;
import dev.monkeytown.dispatcher.runner.Runner;
import dev.monkeytown.dispatcher.runner.RunnerRef;
import dev.monkeytown.dispatcher.runner.RunnerTruth;
import dev.monkeytown.dispatcher.runner.RunnerUnavailableException;
import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;

/**
 * Runs agents as GitHub Actions workflows ({@code .github/workflows/agent-<name>.yml}), started with
 * {@code workflow_dispatch} and followed through {@code workflow_run} webhooks ({@link #onWorkflowRun}) and, when
 * those are lost, conditional reads ({@link #inspect}).
 *
 * <p>
 * An agent workflow must accept the input {@code run_id} and put it in its title:
 *
 * <pre>
 * on:
 *   workflow_dispatch:
 *     inputs:
 *       run_id: { description: "Monkeytown run id", required: true }
 * run-name: "agent docs ${{ inputs.run_id }}"
 * </pre>
 *
 * The title is what ties a workflow run to its Monkeytown run whatever happened in between: a dispatch GitHub answered
 * without the run's id (204, as before 2025 and on older GitHub Enterprise Server), a dispatch whose answer was lost,
 * a dispatcher restarted since.
 */
public final class GitHubActionsRunner implements Runner {

    public static final String KIND = "github-actions";
    /** Slack between our clock and GitHub's when looking a run up by its creation time. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final WorkflowRuns workflowRuns;
    private final String repository;
    private final String ref;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** Workflow run id to run id, for runs started here: a fallback should a workflow drop the id from its title. */
    private final Map<String, String> startedHere = new ConcurrentHashMap<>();
    private volatile RunListener listener;

    /**
     * @param repository {@code owner/name}
     * @param ref the branch workflows are dispatched on, normally the default branch
     */
    public GitHubActionsRunner(GitHubAccess access, String repository, String ref, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workflowRuns = new WorkflowRuns(Objects.requireNonNull(access, "access"), repository, json);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void listen(RunListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public RunnerRef start(AgentRun run, AgentDeclaration agent)
            throws RunnerUnavailableException, RunRejectedException {
        String workflow = agent.workflow().orElseThrow(() -> new RunRejectedException("agent " + agent.name()
                + " has no workflow " + AgentDeclaration.workflowFileName(agent.name())
                + " to run on GitHub Actions"));
        ApiResponse response = workflowRuns.dispatch(workflow,
                Map.of("ref", ref, "inputs", Map.of("run_id", run.id()), "return_run_details", true));
        return switch (response.status()) {
            case 200 -> dispatched(run, response);
            // GitHub accepted but did not say which run it made: found later by the run id in its title
            case 204 -> RunnerRef.of(KIND);
            case 404 -> throw new RunRejectedException("workflow " + workflow + " not found on " + ref + " in "
                    + repository);
            case 422 -> throw new RunRejectedException("workflow " + workflow + " on " + ref
                    + " does not accept workflow_dispatch with input run_id: " + GitHubMessage.of(response));
            default -> throw WorkflowRuns.refused("dispatch " + workflow, response);
        };
    }

    private RunnerRef dispatched(AgentRun run, ApiResponse response) throws RunnerUnavailableException {
        try {
            JsonNode details = json.readTree(response.body());
            String workflowRunId = details.path("workflow_run_id").asText("");
            if (workflowRunId.isEmpty()) {
                return RunnerRef.of(KIND);
            }
            startedHere.put(workflowRunId, run.id());
            RunnerRef started = RunnerRef.of(KIND).withExternalId(workflowRunId);
            return details.hasNonNull("html_url") ? started.withUrl(details.get("html_url").asText()) : started;
        } catch (IOException e) {
            // accepted all the same; inspect finds the run by its title
            return RunnerRef.of(KIND);
        }
    }

    @Override
    public void cancel(AgentRun run, Optional<RunnerRef> ref) throws RunnerUnavailableException {
        Optional<String> workflowRunId = externalId(ref);
        if (workflowRunId.isEmpty()) {
            workflowRunId = findByTitle(run).map(WorkflowRunReport::workflowRunId);
        }
        if (workflowRunId.isPresent()) { // a run GitHub does not know has nothing to cancel
            workflowRuns.cancel(workflowRunId.get());
        }
    }

    @Override
    public RunnerTruth inspect(AgentRun run, Optional<RunnerRef> ref) throws RunnerUnavailableException {
        Optional<WorkflowRunReport> found;
        Optional<String> workflowRunId = externalId(ref);
        if (workflowRunId.isPresent()) {
            found = workflowRuns.run(workflowRunId.get()).map(WorkflowRunReport::from);
        } else {
            found = findByTitle(run);
        }
        return found.map(report -> report.truth(report.ref(KIND, ref), clock.instant()))
                .orElseGet(RunnerTruth.Unknown::new);
    }

    @Override
    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return Optional.empty(); // logs stay at GitHub; the run's url leads there
    }

    /**
     * Takes the body of a {@code workflow_run} webhook (forwarded by the gateway, signature already checked) and
     * reports the transition to the listener. Runs that are not Monkeytown's, or of another repository, are ignored.
     */
    public void onWorkflowRun(JsonNode payload) {
        JsonNode workflowRun = payload.path("workflow_run");
        RunListener current = listener;
        if (!workflowRun.isObject() || current == null
                || !repository.equalsIgnoreCase(payload.path("repository").path("full_name").asText(repository))) {
            return;
        }
        WorkflowRunReport report = WorkflowRunReport.from(workflowRun);
        Optional<String> runId = report.runId()
                .or(() -> Optional.ofNullable(startedHere.get(report.workflowRunId())));
        if (runId.isEmpty()) {
            return;
        }
        RunnerRef runRef = report.ref(KIND, Optional.empty());
        Instant now = clock.instant();
        switch (payload.path("action").asText("")) {
            case "requested", "in_progress" -> {
                if (report.status().equals("in_progress")) {
                    current.started(runId.get(), runRef, report.startedAt(now));
                }
            }
            case "completed" -> {
                startedHere.remove(report.workflowRunId());
                current.finished(runId.get(), runRef, report.outcome(now));
            }
            default -> {
                // other actions carry nothing the dispatcher acts on
            }
        }
    }

    private Optional<WorkflowRunReport> findByTitle(AgentRun run) throws RunnerUnavailableException {
        Instant since = (run.dispatchedAt() != null ? run.dispatchedAt() : run.queuedAt()).minus(CLOCK_SKEW);
        return workflowRuns.findByRunId(AgentDeclaration.workflowFileName(run.agent()), run.id(), since)
                .map(WorkflowRunReport::from);
    }

    private static Optional<String> externalId(Optional<RunnerRef> ref) {
        return ref.flatMap(RunnerRef::externalId);
    }
}
