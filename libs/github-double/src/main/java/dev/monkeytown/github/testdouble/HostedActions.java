package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Actions side of a hosted repository: workflow runs created by {@code workflow_dispatch}, and the controls a test
 * uses to play what GitHub's runners would do (start a run, finish it). Each control returns the {@code workflow_run}
 * webhook payload GitHub would deliver for that transition, so a test can hand it to the code under test as the
 * gateway would.
 */
public final class HostedActions {

    private final HostedRepository repository;
    private final LongSupplier ids;
    private final Map<Long, WorkflowRun> runs = new ConcurrentHashMap<>();
    /** Earlier attempts of re-run runs, oldest first. */
    private final Map<Long, List<WorkflowRun>> earlierAttempts = new ConcurrentHashMap<>();
    private final Map<String, Long> workflowIds = new ConcurrentHashMap<>();
    private final AtomicLong runNumbers = new AtomicLong();
    /** {@code <run id>/<attempt>} of the attempts whose runner was lost. */
    private final java.util.Set<String> lostRunners = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> stepless = ConcurrentHashMap.newKeySet();
    private volatile boolean omitRunDetails;
    private volatile Duration listingLag = Duration.ZERO;

    HostedActions(HostedRepository repository, LongSupplier ids) {
        this.repository = repository;
        this.ids = ids;
    }

    /** Every run, newest first. */
    public List<WorkflowRun> runs() {
        List<WorkflowRun> all = new ArrayList<>(runs.values());
        all.sort(Comparator.comparing(WorkflowRun::id).reversed());
        return all;
    }

    public Optional<WorkflowRun> run(long id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** The runner picked the run up. */
    public synchronized ObjectNode markInProgress(long id) {
        return webhook(update(existing(id).inProgress(now())));
    }

    /** The run ended with {@code conclusion} ({@code success}, {@code failure}, {@code cancelled}, ...). */
    public synchronized ObjectNode complete(long id, String conclusion) {
        return webhook(update(existing(id).complete(conclusion, now())));
    }

    /**
     * The hosted runner running the run's job went away (shut down, or lost communication with GitHub): GitHub ends the
     * run {@code failure} like a failed step, but no step of its job concluded {@code failure} (the step that was
     * running is {@code cancelled}, the ones after it {@code skipped}; see {@link #jobs}).
     */
    public synchronized ObjectNode loseRunner(long id) {
        WorkflowRun run = existing(id);
        lostRunners.add(id + "/" + run.runAttempt());
        return webhook(update(run.complete("failure", now())));
    }

    /**
     * The run ended {@code failure} with its job's steps not filled in: GitHub lists a job's steps as its runner reports
     * them, so a job that failed before reporting any (or read just as it completed) lists none. Nothing then says
     * whether a step failed or the runner was lost.
     */
    public synchronized ObjectNode failWithoutSteps(long id) {
        WorkflowRun run = existing(id);
        stepless.add(id + "/" + run.runAttempt());
        return webhook(update(run.complete("failure", now())));
    }

    /**
     * The jobs of attempt {@code number} of the run, as {@code GET .../attempts/{n}/jobs} lists them: one job,
     * {@code build}, whose status and conclusion follow the run's and whose steps say how it went. A run that concluded
     * {@code failure} failed at its build step, unless {@link #loseRunner} ended it. Empty for an attempt it has not had.
     */
    public Optional<List<WorkflowJob>> jobs(long id, int number) {
        return attempt(id, number).map(run -> List.of(stepless.contains(id + "/" + number)
                ? WorkflowJob.of(run, false).withoutSteps()
                : WorkflowJob.of(run, lostRunners.contains(id + "/" + number))));
    }

    /** The webhook payload GitHub sent on the run's last transition (action from its current status). */
    public ObjectNode webhook(long id) {
        return webhook(existing(id));
    }

    /**
     * Answers dispatches 204 without run details even when asked for them, as GitHub did before 2025 (and GitHub
     * Enterprise Server versions that predate {@code return_run_details} still do).
     */
    public void omitRunDetails(boolean omit) {
        this.omitRunDetails = omit;
    }

    boolean omitsRunDetails() {
        return omitRunDetails;
    }

    /**
     * Lists a workflow run ({@code GET .../actions/workflows/{id}/runs}) only {@code lag} after its creation, as GitHub's
     * listing trails a dispatch it already accepted; reading the run by its id is not affected. Judged when the listing
     * is read, so {@code Duration.ZERO} lists every run again at once.
     */
    public void lagListing(Duration lag) {
        this.listingLag = lag;
    }

    /** Whether the runs listing shows the run now. */
    boolean listed(WorkflowRun run) {
        return !run.createdAt().plus(listingLag).isAfter(Instant.now());
    }

    /**
     * A run started by something other than a dispatch, as a {@code pull_request} or {@code push} starts one: GitHub
     * titles it after the pull request or the commit, so its title may say anything, a Monkeytown run id included.
     */
    public synchronized WorkflowRun trigger(String event, String workflowFile, String displayTitle, String branch) {
        Instant now = now();
        String path = ".github/workflows/" + workflowFile;
        String head = repository.resolve(branch).orElseThrow(() -> new NoSuchElementException("no branch " + branch));
        WorkflowRun run = new WorkflowRun(ids.getAsLong(), workflowId(path), workflowFile, path, displayTitle, event,
                branch, head, runNumbers.incrementAndGet(), "queued", Optional.empty(), now, now, now);
        runs.put(run.id(), run);
        return run;
    }

    /**
     * A person dispatches {@code workflowFile} on {@code branch} themselves (the Actions tab, {@code gh workflow run}):
     * a run at the branch's head like any dispatch, and a job naming an environment makes a GitHub deployment of it.
     */
    public WorkflowRun dispatchByHand(String workflowFile, String displayTitle, String branch) {
        String head = repository.resolve(branch).orElseThrow(() -> new NoSuchElementException("no branch " + branch));
        return dispatch(workflowFile, workflowFile, displayTitle, branch, head);
    }

    synchronized WorkflowRun dispatch(String workflowFile, String workflowName, String displayTitle, String branch,
            String headSha) {
        Instant now = now();
        String path = ".github/workflows/" + workflowFile;
        WorkflowRun run = new WorkflowRun(ids.getAsLong(), workflowId(path), workflowName, path, displayTitle,
                "workflow_dispatch", branch, headSha, runNumbers.incrementAndGet(), "queued", Optional.empty(), now,
                now, now);
        runs.put(run.id(), run);
        repository.deployments().follow(run);
        return run;
    }

    /**
     * Re-runs the failed jobs of a completed run that did not succeed ({@code rerun-failed-jobs}): the run's next
     * attempt, queued. False when the run is still going or succeeded (nothing to re-run).
     */
    public synchronized boolean rerunFailedJobs(long id) {
        WorkflowRun run = existing(id);
        if (!run.completed() || run.conclusion().filter("success"::equals).isPresent()) {
            return false;
        }
        earlierAttempts.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(run);
        update(run.rerun(now()));
        return true;
    }

    /** The run as it was at attempt {@code number} (the current one, or one re-run since); empty if it has none such. */
    public Optional<WorkflowRun> attempt(long id, int number) {
        WorkflowRun current = runs.get(id);
        if (current == null || number < 1 || number > current.runAttempt()) {
            return Optional.empty();
        }
        if (number == current.runAttempt()) {
            return Optional.of(current);
        }
        return earlierAttempts.getOrDefault(id, List.of()).stream().filter(r -> r.runAttempt() == number)
                .findFirst();
    }

    /** False when the run already completed (GitHub answers 409). */
    synchronized boolean cancel(long id) {
        WorkflowRun run = existing(id);
        if (run.completed()) {
            return false;
        }
        update(run.complete("cancelled", now()));
        return true;
    }

    Optional<String> workflowPath(long workflowId) {
        return workflowIds.entrySet().stream().filter(e -> e.getValue() == workflowId).map(Map.Entry::getKey)
                .findFirst();
    }

    long workflowId(String path) {
        return workflowIds.computeIfAbsent(path, p -> ids.getAsLong());
    }

    private WorkflowRun existing(long id) {
        WorkflowRun run = runs.get(id);
        if (run == null) {
            throw new NoSuchElementException("no workflow run " + id + " in " + repository.fullName());
        }
        return run;
    }

    private WorkflowRun update(WorkflowRun run) {
        runs.put(run.id(), run);
        repository.deployments().follow(run);
        return run;
    }

    private ObjectNode webhook(WorkflowRun run) {
        return WebhookExamples.workflowRun(run.webhookAction(), repository.fullName(), run);
    }

    /** GitHub's timestamps have whole seconds. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
