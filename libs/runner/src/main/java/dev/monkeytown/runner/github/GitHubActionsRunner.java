package dev.monkeytown.runner.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;

/**
 * Runs workflows on GitHub Actions: started with {@code workflow_dispatch}, followed through {@code workflow_run}
 * webhooks ({@link #onWorkflowRun}) and, when those are lost, conditional reads ({@link #inspect}).
 *
 * <p>
 * A workflow must accept the run's id as an input ({@link RunSpec.WorkflowCall#runIdInput}, here {@code run_id}) and
 * put it in its title:
 *
 * <pre>
 * on:
 *   workflow_dispatch:
 *     inputs:
 *       run_id: { description: "Monkeytown run id", required: true }
 * run-name: "agent docs ${{ inputs.run_id }}"
 * </pre>
 *
 * The title is what ties a workflow run to its run whatever happened in between: a dispatch GitHub answered without
 * the workflow run's id (204, as before 2025 and on older GitHub Enterprise Server), a dispatch whose answer was lost,
 * a service restarted since. GitHub lists a dispatched run only some time after accepting it, so a run that is not
 * listed yet is not taken for one that never existed until {@link Settings#appearWithin} has passed; nor is a workflow
 * run GitHub named (by the dispatch's answer, a webhook, a listing) that reads as not found for a while: its replicas
 * lag, and a caller told "unknown" may dispatch the run twice.
 *
 * <p>
 * A webhook is believed only for a run this runner dispatched or inspected: its {@code event} must be
 * {@code workflow_dispatch}, its workflow file the one dispatched, and once the workflow run's id is known, that id.
 * Anything else that happens to carry a live run id in its title (a pull request's CI, a hand-made dispatch) is
 * ignored.
 */
public final class GitHubActionsRunner implements Runner {

    public static final String KIND = "github-actions";
    /** How the reason of a workflow run that completed without success begins; the conclusion follows. */
    static final String CONCLUDED = "workflow run concluded ";

    private static final Logger LOG = Logger.getLogger(GitHubActionsRunner.class);
    /** Slack between our clock and GitHub's when comparing creation times. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final String WORKFLOWS = ".github/workflows/";

    /**
     * @param repository {@code owner/name}
     * @param appearWithin how long after a dispatch GitHub may take to list its workflow run; until then a run not
     *        found is not taken for one that never started (5 minutes). Also how long a workflow run GitHub named may
     *        read as not found (a replica that lags) before it is taken for one that is gone
     * @param cancelRetryInterval how often unconfirmed cancels are tried again (30 seconds)
     */
    public record Settings(String repository, Duration appearWithin, Duration cancelRetryInterval) {
        public Settings {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(appearWithin, "appearWithin");
            Objects.requireNonNull(cancelRetryInterval, "cancelRetryInterval");
        }

        public static Settings defaults(String repository) {
            return new Settings(repository, Duration.ofMinutes(5), Duration.ofSeconds(30));
        }
    }

    /**
     * What this runner knows of a run it dispatched or was asked about.
     *
     * @param attempt the workflow run's attempt ({@code run_attempt}) that is this run, when known
     */
    private record Tracked(String workflowPath, Optional<String> workflowRunId, Optional<Instant> attemptedAt,
            Optional<Integer> attempt) {
        Tracked(String workflowPath, Optional<String> workflowRunId, Optional<Instant> attemptedAt) {
            this(workflowPath, workflowRunId, attemptedAt, Optional.empty());
        }

        Tracked withWorkflowRunId(String id) {
            return new Tracked(workflowPath, Optional.of(id), attemptedAt, attempt);
        }

        Tracked withAttempt(Optional<Integer> number) {
            return number.isEmpty() ? this : new Tracked(workflowPath, workflowRunId, attemptedAt, number);
        }
    }

    private final WorkflowRuns workflowRuns;
    private final Settings settings;
    private final Clock clock;
    private final Instant createdAt;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, RunLookup> pendingCancels = new ConcurrentHashMap<>();
    /** Runs whose known workflow run reads as not found: since when, and when last (a lagging replica, or gone). */
    private final Map<String, Missing> missing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retrier;
    private volatile RunListener listener;

    public GitHubActionsRunner(GitHubAccess access, Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.createdAt = clock.instant();
        this.workflowRuns = new WorkflowRuns(Objects.requireNonNull(access, "access"), settings.repository(), json);
        this.retrier = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "github-actions-cancel-retry");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.cancelRetryInterval().toMillis();
        retrier.scheduleWithFixedDelay(this::retryCancels, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The conclusion of the workflow run a failure report of this runner came from ({@code failure},
     * {@code startup_failure}, ...), so a caller can tell a step that failed from the machinery failing; empty for any
     * other report.
     */
    public static Optional<String> conclusion(RunOutcome.Failed failed) {
        return failed.exitCode().isEmpty() && failed.reason().startsWith(CONCLUDED)
                ? Optional.of(failed.reason().substring(CONCLUDED.length()))
                : Optional.empty();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void listen(RunListener runListener) {
        this.listener = Objects.requireNonNull(runListener, "listener");
    }

    @Override
    public RunnerRef start(RunSpec spec) throws RunnerUnavailableException, RunRejectedException {
        RunSpec.WorkflowCall workflow = spec.workflow().orElseThrow(() -> new RunRejectedException("run " + spec.id()
                + " has no workflow to run on GitHub Actions"));
        if (!spec.secrets().isEmpty()) {
            throw new RunRejectedException("a workflow_dispatch cannot carry secrets (its inputs are visible to anyone"
                    + " who can read the run); give the workflow an environment with those secrets instead");
        }
        if (workflow.rerun().isPresent()) {
            Optional<RunnerRef> rerun = rerun(spec.id(), workflow, workflow.rerun().get());
            if (rerun.isPresent()) {
                return rerun.get();
            }
            // GitHub will not re-run that workflow run: this attempt is a dispatch of its own
        }
        // remembered before the call: a dispatch whose answer is lost may still have created a workflow run
        tracked.put(spec.id(), new Tracked(WORKFLOWS + workflow.file(), Optional.empty(),
                Optional.of(clock.instant())));
        ApiResponse response = workflowRuns.dispatch(workflow.file(),
                Map.of("ref", spec.ref(), "inputs", workflow.inputsFor(spec.id()), "return_run_details", true));
        return switch (response.status()) {
            case 200 -> dispatched(spec.id(), response);
            // GitHub accepted but did not say which run it made: found later by the run id in its title
            case 204 -> RunnerRef.of(KIND);
            case 404 -> {
                tracked.remove(spec.id());
                throw new RunRejectedException("workflow " + workflow.file() + " not found on " + spec.ref() + " in "
                        + settings.repository());
            }
            case 422 -> {
                tracked.remove(spec.id());
                throw new RunRejectedException("workflow " + workflow.file() + " on " + spec.ref()
                        + " does not accept workflow_dispatch with inputs " + workflow.inputsFor(spec.id()).keySet()
                        + ": "
                        + GitHubMessage.of(response));
            }
            default -> {
                if (response.status() < 500) {
                    tracked.remove(spec.id()); // refused outright: nothing was created
                }
                if (WorkflowRuns.lacksPermission(response)) {
                    // the token may not dispatch (no actions: write); asking again, at every reconciliation, gets
                    // the same 403 until somebody changes the token, so the run is refused now
                    throw new RunRejectedException("GitHub refused to dispatch " + workflow.file() + " on "
                            + spec.ref() + " in " + settings.repository() + " (HTTP 403): " + GitHubMessage.of(response)
                            + response.header("x-accepted-github-permissions")
                                    .map(needed -> "; the token needs the permission " + needed).orElse(""));
                }
                throw WorkflowRuns.refused("dispatch " + workflow.file(), response);
            }
        };
    }

    /**
     * Re-runs the failed jobs of the workflow run as its attempt {@code rerun.attempt()}: the run keeps its id and
     * title, and webhooks and inspections of this run read that attempt. An earlier start whose answer was lost (the
     * attempt exists already) is not re-run again. Empty when GitHub will not re-run it (it succeeded, is gone, or is
     * too old: 403, 404, 422), for the caller to dispatch anew.
     */
    private Optional<RunnerRef> rerun(String runId, RunSpec.WorkflowCall workflow, RunSpec.WorkflowCall.Rerun rerun)
            throws RunnerUnavailableException {
        String workflowRunId = rerun.workflowRunId();
        tracked.put(runId, new Tracked(WORKFLOWS + workflow.file(), Optional.of(workflowRunId),
                Optional.of(clock.instant()), Optional.of(rerun.attempt())));
        RunnerRef ref = RunnerRef.of(KIND).withExternalId(workflowRunId).withAttempt(rerun.attempt());
        Optional<WorkflowRunReport> already = workflowRuns.attempt(workflowRunId, rerun.attempt())
                .map(WorkflowRunReport::from);
        if (already.isPresent()) {
            return Optional.of(already.get().htmlUrl().map(ref::withUrl).orElse(ref));
        }
        ApiResponse response = workflowRuns.rerunFailedJobs(workflowRunId);
        if (response.status() == 201) {
            return Optional.of(ref);
        }
        if (response.status() >= 500 || WorkflowRuns.rateLimited(response)) {
            // it may have been applied: the attempt stays tracked and an inspection settles it
            throw WorkflowRuns.refused("re-run the failed jobs of workflow run " + workflowRunId, response);
        }
        tracked.remove(runId);
        LOG.infof("GitHub will not re-run workflow run %s for %s (HTTP %d: %s); dispatching it anew", workflowRunId,
                runId, response.status(), GitHubMessage.of(response));
        return Optional.empty();
    }

    private RunnerRef dispatched(String runId, ApiResponse response) {
        try {
            JsonNode details = json.readTree(response.body());
            String workflowRunId = details.path("workflow_run_id").asText("");
            if (workflowRunId.isEmpty()) {
                return RunnerRef.of(KIND);
            }
            tracked.computeIfPresent(runId, (id, known) -> known.withWorkflowRunId(workflowRunId));
            // a dispatch makes a new workflow run: its first attempt
            RunnerRef started = RunnerRef.of(KIND).withExternalId(workflowRunId).withAttempt(1);
            return details.hasNonNull("html_url") ? started.withUrl(details.get("html_url").asText()) : started;
        } catch (IOException e) {
            // accepted all the same; inspect finds the run by its title
            return RunnerRef.of(KIND);
        }
    }

    /** Cancels the workflow run, and keeps asking (every {@link Settings#cancelRetryInterval}) until GitHub shows it completed. */
    @Override
    public void cancel(RunLookup run) {
        remember(run);
        pendingCancels.put(run.id(), run);
        tryCancel(run);
    }

    /** Tries every unconfirmed cancel once more; runs by itself on a timer, and tests call it directly. */
    public void retryCancels() {
        for (RunLookup run : List.copyOf(pendingCancels.values())) {
            tryCancel(run);
        }
    }

    /** Runs whose cancel GitHub has not confirmed yet. */
    public int unconfirmedCancels() {
        return pendingCancels.size();
    }

    private void tryCancel(RunLookup run) {
        try {
            if (cancelConfirmed(run)) {
                pendingCancels.remove(run.id());
            }
        } catch (RunnerUnavailableException | RuntimeException e) {
            LOG.debugf("cancel of run %s not confirmed yet, tried again later: %s", run.id(), e.getMessage());
        }
    }

    private boolean cancelConfirmed(RunLookup run) throws RunnerUnavailableException {
        Optional<String> workflowRunId = knownWorkflowRunId(run);
        if (workflowRunId.isEmpty()) {
            workflowRunId = find(run).map(WorkflowRunReport::workflowRunId);
        }
        if (workflowRunId.isEmpty()) {
            // never listed: nothing to cancel, unless it may still appear
            return !mayStillAppear(run);
        }
        Optional<WorkflowRunReport> current = workflowRuns.run(workflowRunId.get()).map(WorkflowRunReport::from);
        if (current.isEmpty() || current.get().completed()) {
            return true;
        }
        if (!workflowRuns.cancel(workflowRunId.get())) {
            return true; // GitHub no longer knows the run
        }
        // GitHub accepted; the run completes a little later, which the next read (or its webhook) confirms
        return workflowRuns.run(workflowRunId.get()).map(WorkflowRunReport::from)
                .map(WorkflowRunReport::completed).orElse(true);
    }

    @Override
    public RunnerTruth inspect(RunLookup run) throws RunnerUnavailableException {
        remember(run);
        Optional<Integer> rerunAttempt = expectedAttempt(run).filter(attempt -> attempt > 1);
        Optional<WorkflowRunReport> found;
        if (knownWorkflowRunId(run).isEmpty()) {
            found = find(run);
        } else if (rerunAttempt.isPresent()) {
            // a re-run: that attempt of the run, not whatever attempt the run is at
            found = workflowRuns.attempt(knownWorkflowRunId(run).get(), rerunAttempt.get())
                    .map(WorkflowRunReport::from);
            if (found.isEmpty()) {
                if (!mayStillAppear(run)) {
                    // the run is known; its attempt reading as not found may be a lagging replica as well
                    return notFound(run, knownWorkflowRunId(run).get());
                }
                return run.ref().isPresent()
                        ? new RunnerTruth.Pending(run.ref().get())
                        : new RunnerTruth.Unconfirmed(appearanceDeadline(run));
            }
        } else {
            found = workflowRuns.run(knownWorkflowRunId(run).get()).map(WorkflowRunReport::from);
        }
        if (found.isPresent()) {
            missing.remove(run.id());
            WorkflowRunReport report = found.get();
            tracked.computeIfPresent(run.id(), (id, known) -> known.withWorkflowRunId(report.workflowRunId()));
            RunnerTruth truth = report.truth(report.ref(KIND, run.ref()), clock.instant());
            if (truth instanceof RunnerTruth.Finished) {
                tracked.remove(run.id());
            }
            return truth;
        }
        Optional<String> knownId = knownWorkflowRunId(run);
        if (knownId.isPresent()) {
            return notFound(run, knownId.get());
        }
        if (!mayStillAppear(run)) {
            tracked.remove(run.id());
            return new RunnerTruth.Unknown();
        }
        // not listed yet, and it may still be: an accepted dispatch is pending; one whose answer was lost must not be
        // dispatched again before it had the time to show up
        return run.ref().isPresent()
                ? new RunnerTruth.Pending(run.ref().get())
                : new RunnerTruth.Unconfirmed(appearanceDeadline(run));
    }

    /**
     * A workflow run GitHub named reads as not found: its replicas trail the primary, so for
     * {@link Settings#appearWithin} after the first such answer it is taken for a run that is there (pending: a caller
     * must not dispatch it again), and only then for one that is gone (deleted, purged).
     */
    private RunnerTruth notFound(RunLookup run, String workflowRunId) {
        Instant now = clock.instant();
        // a streak of 404s counts, not two far apart: one lagging read, nobody asking for a while (a caller's gate
        // closed by a rate limit), then another lagging read says nothing about the time in between
        Missing streak = missing.merge(run.id(), new Missing(now, now), (was, fresh) -> now.isAfter(was.last()
                .plus(settings.appearWithin())) ? fresh : new Missing(was.first(), now));
        if (now.isBefore(streak.first().plus(settings.appearWithin()))) {
            return new RunnerTruth.Pending(run.ref().orElseGet(() -> RunnerRef.of(KIND)
                    .withExternalId(workflowRunId)));
        }
        missing.remove(run.id());
        tracked.remove(run.id());
        return new RunnerTruth.Unknown();
    }

    /** The first and the latest of an unbroken streak of not-found reads of a run's known workflow run. */
    private record Missing(Instant first, Instant last) {
    }

    @Override
    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return Optional.empty(); // logs stay at GitHub; the run's url leads there
    }

    @Override
    public void close() {
        retrier.shutdownNow();
    }

    /**
     * Takes the body of a {@code workflow_run} webhook (forwarded by the gateway, signature already checked) and reports
     * the transition to the listener when it is one of this runner's runs: see the class comment for what that takes.
     *
     * @return whether the delivery was about one of this runner's runs
     */
    public boolean onWorkflowRun(JsonNode payload) {
        JsonNode workflowRun = payload.path("workflow_run");
        RunListener current = listener;
        if (!workflowRun.isObject() || current == null || !settings.repository()
                .equalsIgnoreCase(payload.path("repository").path("full_name").asText(""))) {
            // a payload that names no repository is nobody's: a run id in a title is not proof enough
            return false;
        }
        WorkflowRunReport report = WorkflowRunReport.from(workflowRun);
        if (!report.event().equals("workflow_dispatch")) {
            return false;
        }
        Optional<String> runId = runOf(report);
        if (runId.isEmpty()) {
            return false;
        }
        tracked.computeIfPresent(runId.get(), (id, known) -> known.withWorkflowRunId(report.workflowRunId()));
        missing.remove(runId.get()); // GitHub just told us about it: whatever 404 came before was a lagging replica
        RunnerRef runRef = report.ref(KIND, Optional.empty());
        Instant now = clock.instant();
        switch (payload.path("action").asText("")) {
            case "requested", "in_progress" -> {
                if (pendingCancels.containsKey(runId.get())) {
                    submitRetry(); // appeared after it was cancelled: cancel it now, not at the next round
                } else if (report.status().equals("in_progress")) {
                    current.started(runId.get(), runRef, report.startedAt(now));
                }
            }
            case "completed" -> {
                tracked.remove(runId.get());
                pendingCancels.remove(runId.get());
                current.finished(runId.get(), runRef, report.outcome(now));
            }
            default -> {
                // other actions carry nothing the caller acts on
            }
        }
        return true;
    }

    /**
     * The run a webhook's workflow run belongs to, if it is provably one of ours. A re-run is the same workflow run
     * under another attempt: a run whose attempt is known matches only reports of that attempt, and is preferred to
     * one whose attempt is not known.
     */
    private Optional<String> runOf(WorkflowRunReport report) {
        List<Map.Entry<String, Tracked>> candidates = new java.util.ArrayList<>(tracked.entrySet());
        candidates.sort(java.util.Comparator.comparing(entry -> entry.getValue().attempt().isEmpty()));
        for (Map.Entry<String, Tracked> entry : candidates) {
            String runId = entry.getKey();
            Tracked known = entry.getValue();
            boolean sameWorkflowRun = known.workflowRunId().map(report.workflowRunId()::equals).orElse(false)
                    && known.attempt().map(attempt -> attempt == report.runAttempt()).orElse(true);
            boolean unclaimedAndTitled = known.workflowRunId().isEmpty() && report.titleNames(runId)
                    && createdAfterAttempt(report, known);
            if ((sameWorkflowRun || unclaimedAndTitled) && known.workflowPath().equals(report.path())) {
                return Optional.of(runId);
            }
        }
        return Optional.empty();
    }

    private static boolean createdAfterAttempt(WorkflowRunReport report, Tracked known) {
        return known.attemptedAt().isEmpty() || report.createdAt().isEmpty()
                || !report.createdAt().get().isBefore(known.attemptedAt().get().minus(CLOCK_SKEW));
    }

    /** Keeps what a caller knows about a run, so webhooks about it are recognised after a restart too. */
    private void remember(RunLookup run) {
        if (run.workflow().isEmpty()) {
            return;
        }
        tracked.compute(run.id(), (id, known) -> {
            Tracked base = known != null
                    ? known
                    : new Tracked(WORKFLOWS + run.workflow().get(), Optional.empty(), Optional.empty());
            Tracked withId = run.externalId().map(base::withWorkflowRunId).orElse(base);
            return withId.attempt().isPresent() ? withId : withId.withAttempt(run.ref().flatMap(RunnerRef::attempt));
        });
    }

    /** Which attempt of its workflow run the run is, when known (a re-run's, from its start or its record). */
    private Optional<Integer> expectedAttempt(RunLookup run) {
        return Optional.ofNullable(tracked.get(run.id())).flatMap(Tracked::attempt)
                .or(() -> run.ref().flatMap(RunnerRef::attempt));
    }

    private Optional<String> knownWorkflowRunId(RunLookup run) {
        return run.externalId().or(() -> Optional.ofNullable(tracked.get(run.id()))
                .flatMap(Tracked::workflowRunId));
    }

    /** The dispatched run of the workflow whose title carries the run id, created no earlier than it was asked for. */
    private Optional<WorkflowRunReport> find(RunLookup run) throws RunnerUnavailableException {
        if (run.workflow().isEmpty()) {
            return Optional.empty();
        }
        Instant since = run.requestedAt().minus(CLOCK_SKEW);
        return workflowRuns.findByRunId(run.workflow().get(), run.id(), since).map(WorkflowRunReport::from)
                .filter(report -> report.createdAt().map(created -> !created.isBefore(since)).orElse(true));
    }

    private boolean mayStillAppear(RunLookup run) {
        return clock.instant().isBefore(appearanceDeadline(run));
    }

    /**
     * When a run that is not listed can be taken for one that never started: {@link Settings#appearWithin} after the
     * last dispatch this runner made of it or, with no memory of one (a restart), after the caller asked for it or
     * this runner began, whichever is later (a runner before this one may have dispatched it until it stopped).
     */
    private Instant appearanceDeadline(RunLookup run) {
        Instant since = Optional.ofNullable(tracked.get(run.id())).flatMap(Tracked::attemptedAt)
                .orElseGet(() -> run.requestedAt().isAfter(createdAt) ? run.requestedAt() : createdAt);
        return since.plus(settings.appearWithin());
    }

    private void submitRetry() {
        try {
            retrier.execute(this::retryCancels);
        } catch (RejectedExecutionException e) {
            // closed: nothing more to do
        }
    }
}
