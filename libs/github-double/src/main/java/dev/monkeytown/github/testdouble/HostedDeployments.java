package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The deployments of a hosted repository, made as GitHub Actions makes them: a workflow run whose job names an
 * {@code environment:} gets one deployment (sha and ref of the run, task {@code deploy}, created by
 * {@code github-actions[bot]}) and a deployment status for each step of the job — {@code waiting} while the
 * environment's required reviewers have not approved, {@code queued}, {@code in_progress}, then {@code success},
 * {@code failure} or {@code error} (a cancelled or timed-out run). Clients only read them: nothing here is created
 * through {@code POST /deployments}, which the double does not serve (a client that tries is a violation).
 *
 * <p>
 * Each status is also a {@code deployment_status} webhook, built from GitHub's published example
 * ({@link DeploymentWebhooks}); {@link #takeWebhooks()} hands them to a test in the order GitHub would send them, to
 * deliver (or lose) as the gateway would.
 */
public final class HostedDeployments {

    /** One deployment as GitHub keeps it. */
    public record HostedDeployment(long id, String sha, String ref, String environment, long workflowRunId,
            Instant createdAt, Instant updatedAt) {
    }

    /** One deployment status. */
    public record Status(long id, long deploymentId, String state, String description, Instant createdAt,
            String logUrl) {
    }

    private static final Pattern ENVIRONMENT = Pattern.compile(
            "(?m)^\\s+environment:\\s*(?:\\{\\s*name:\\s*)?[\"']?([A-Za-z0-9_.-]+)[\"']?");

    private final HostedRepository repository;
    private final LongSupplier ids;
    private final Map<Long, HostedDeployment> deployments = new ConcurrentHashMap<>();
    private final Map<Long, List<Status>> statuses = new ConcurrentHashMap<>();
    private final Map<Long, Long> byRun = new ConcurrentHashMap<>();
    private final Set<String> reviewed = ConcurrentHashMap.newKeySet();
    private final Set<Long> approved = ConcurrentHashMap.newKeySet();
    private final List<ObjectNode> webhooks = new ArrayList<>();

    HostedDeployments(HostedRepository repository, LongSupplier ids) {
        this.repository = repository;
        this.ids = ids;
    }

    /** Every deployment, newest first. */
    public List<HostedDeployment> all() {
        List<HostedDeployment> all = new ArrayList<>(deployments.values());
        all.sort(Comparator.comparing(HostedDeployment::id).reversed());
        return all;
    }

    public Optional<HostedDeployment> deployment(long id) {
        return Optional.ofNullable(deployments.get(id));
    }

    /** The deployment Actions made for a workflow run, if its job names an environment. */
    public Optional<HostedDeployment> forRun(long workflowRunId) {
        return Optional.ofNullable(byRun.get(workflowRunId)).map(deployments::get);
    }

    /** A deployment's statuses, newest first, as GitHub lists them. */
    public List<Status> statuses(long deploymentId) {
        List<Status> all = new ArrayList<>(statuses.getOrDefault(deploymentId, List.of()));
        all.sort(Comparator.comparing(Status::id).reversed());
        return all;
    }

    /**
     * The GitHub environment has required reviewers: a job naming it waits ({@code waiting}) until {@link #approve}.
     */
    public void requireReviewers(String environment) {
        reviewed.add(environment);
    }

    /** A reviewer approved the run's deployment: its job is queued for a runner. Returns that status's webhook. */
    public synchronized ObjectNode approve(long workflowRunId) {
        approved.add(workflowRunId);
        HostedDeployment deployment = forRun(workflowRunId).orElseThrow(
                () -> new IllegalStateException("workflow run " + workflowRunId + " has no deployment"));
        return addStatus(deployment, "queued", "approved");
    }

    /**
     * A reviewer rejected the run's deployment. GitHub documents "If a job is rejected, the workflow will fail"
     * (docs.github.com, Actions, "Reviewing deployments"): the run completes with conclusion {@code failure} and the
     * job never runs, so its deployment never goes {@code in_progress}. Which status Actions then gives the deployment
     * is not documented; it is played as the one a failed run's deployment gets here, {@code failure}. Returns the
     * completed run's {@code workflow_run} webhook (the deployment's status webhook is among {@link #takeWebhooks()}).
     */
    public ObjectNode reject(long workflowRunId) {
        forRun(workflowRunId).orElseThrow(
                () -> new IllegalStateException("workflow run " + workflowRunId + " has no deployment"));
        // not synchronized here: completing the run calls back into follow, and HostedActions locks first
        return repository.actions().complete(workflowRunId, "failure");
    }

    /** The {@code deployment_status} webhooks GitHub sent since the last call, oldest first; taken, not kept. */
    public synchronized List<ObjectNode> takeWebhooks() {
        List<ObjectNode> taken = List.copyOf(webhooks);
        webhooks.clear();
        return taken;
    }

    /** Called by {@link HostedActions} on every transition of a run: Actions' deployment follows its job. */
    synchronized void follow(WorkflowRun run) {
        Optional<HostedDeployment> existing = forRun(run.id());
        if (existing.isEmpty()) {
            Optional<String> environment = repository.fileAt(run.headSha(), run.path()).flatMap(
                    HostedDeployments::environmentOf);
            if (environment.isEmpty()) {
                return; // no job names an environment: Actions makes no deployment
            }
            Instant now = now();
            HostedDeployment made = new HostedDeployment(ids.getAsLong(), run.headSha(), run.headBranch(),
                    environment.get(), run.id(), now, now);
            deployments.put(made.id(), made);
            byRun.put(run.id(), made.id());
            addStatus(made, reviewed.contains(made.environment()) && !approved.contains(run.id())
                    ? "waiting"
                    : "queued", "");
            existing = Optional.of(made);
        }
        HostedDeployment deployment = existing.get();
        String latest = statuses(deployment.id()).stream().findFirst().map(Status::state).orElse("");
        String next = switch (run.status()) {
            case "in_progress" -> "in_progress";
            case "completed" -> switch (run.conclusion().orElse("")) {
                case "success" -> "success";
                case "failure" -> "failure";
                default -> "error";
            };
            default -> latest;
        };
        if (!next.equals(latest)) {
            addStatus(deployment, next, "");
        }
    }

    private ObjectNode addStatus(HostedDeployment deployment, String state, String description) {
        Instant now = now();
        long runId = deployment.workflowRunId();
        Status status = new Status(ids.getAsLong(), deployment.id(), state, description, now,
                "https://github.com/" + repository.fullName() + "/actions/runs/" + runId + "/job/" + (runId + 2));
        statuses.computeIfAbsent(deployment.id(), k -> new ArrayList<>()).add(status);
        HostedDeployment updated = new HostedDeployment(deployment.id(), deployment.sha(), deployment.ref(),
                deployment.environment(), runId, deployment.createdAt(), now);
        deployments.put(updated.id(), updated);
        WorkflowRun run = repository.actions().run(runId).orElseThrow();
        ObjectNode webhook = DeploymentWebhooks.deploymentStatus(repository.fullName(), updated, status, run);
        webhooks.add(webhook);
        return webhook;
    }

    /** The first job's {@code environment:} (a name, or {@code {name: ...}}); textual, like {@link WorkflowFile}. */
    static Optional<String> environmentOf(String workflow) {
        Matcher m = ENVIRONMENT.matcher(workflow.replaceAll("(?m)^\\s*#.*$", ""));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** GitHub's timestamps have whole seconds. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
