package dev.monkeytown.github.testdouble;

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
    private final Map<String, Long> workflowIds = new ConcurrentHashMap<>();
    private final AtomicLong runNumbers = new AtomicLong();
    private volatile boolean omitRunDetails;

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

    synchronized WorkflowRun dispatch(String workflowFile, String workflowName, String displayTitle, String branch,
            String headSha) {
        Instant now = now();
        String path = ".github/workflows/" + workflowFile;
        WorkflowRun run = new WorkflowRun(ids.getAsLong(), workflowId(path), workflowName, path, displayTitle,
                "workflow_dispatch", branch, headSha, runNumbers.incrementAndGet(), "queued", Optional.empty(), now,
                now, now);
        runs.put(run.id(), run);
        return run;
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
