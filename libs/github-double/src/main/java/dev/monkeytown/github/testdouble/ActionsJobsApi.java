package dev.monkeytown.github.testdouble;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The jobs of one attempt of a workflow run: {@code GET .../actions/runs/{run_id}/attempts/{attempt_number}/jobs}
 * ({@code per_page}, {@code page}), in the shape of GitHub's {@code job} schema; 404 for a run or an attempt GitHub does
 * not know. A test plays how a job ended with {@link HostedActions#complete} or {@link HostedActions#loseRunner}.
 */
final class ActionsJobsApi implements ApiArea {

    private static final String DOCS = "https://docs.github.com/rest/actions/workflow-jobs"
            + "#list-jobs-for-a-workflow-run-attempt";

    private final GitHubDouble host;

    ActionsJobsApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", "/repos/([^/]+)/([^/]+)/actions/runs/([0-9]+)/attempts/([0-9]+)/jobs", this::jobs);
    }

    private DoubleResponse jobs(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> repo = host.existing(path.group(1), path.group(2));
        Optional<List<WorkflowJob>> jobs = repo.flatMap(r -> r.actions().jobs(Long.parseLong(path.group(3)),
                Integer.parseInt(path.group(4))));
        if (jobs.isEmpty()) {
            return DoubleResponse.error(404, "Not Found", DOCS);
        }
        int perPage = Math.min(100, Integer.parseInt(request.query().getOrDefault("per_page", "30")));
        int page = Math.max(1, Integer.parseInt(request.query().getOrDefault("page", "1")));
        ObjectNode json = Json.object().put("total_count", jobs.get().size());
        ArrayNode list = json.putArray("jobs");
        jobs.get().stream().skip((long) (page - 1) * perPage).limit(perPage)
                .forEach(job -> list.add(jobJson(repo.get(), job)));
        return DoubleResponse.of(200, json);
    }

    private ObjectNode jobJson(HostedRepository repo, WorkflowJob job) {
        WorkflowRun run = repo.actions().attempt(job.runId(), job.runAttempt()).orElseThrow();
        long id = job.runId() * 10 + job.runAttempt();
        String runUrl = host.apiUrl() + "/repos/" + repo.fullName() + "/actions/runs/" + job.runId();
        ObjectNode json = Json.object().put("id", id).put("run_id", job.runId()).put("run_url", runUrl)
                .put("run_attempt", job.runAttempt()).put("node_id", host.nodeId("CheckRun", String.valueOf(id)))
                .put("head_sha", run.headSha()).put("url", host.apiUrl() + "/repos/" + repo.fullName()
                        + "/actions/jobs/" + id)
                .put("html_url", "https://github.com/" + repo.fullName() + "/actions/runs/" + job.runId() + "/job/" + id)
                .put("status", job.status()).put("conclusion", job.conclusion().orElse(null))
                .put("created_at", run.createdAt().toString()).put("started_at", job.startedAt().toString())
                .put("completed_at", job.completedAt().map(Object::toString).orElse(null)).put("name", job.name())
                .put("check_run_url", host.apiUrl() + "/repos/" + repo.fullName() + "/check-runs/" + id)
                .put("workflow_name", run.workflowName()).put("head_branch", run.headBranch());
        boolean assigned = !job.status().equals("queued");
        json.put("runner_id", assigned ? Long.valueOf(job.runId() % 100 + 1) : null)
                .put("runner_name", assigned ? "GitHub Actions " + (job.runId() % 100 + 1) : null)
                .put("runner_group_id", assigned ? Long.valueOf(0) : null)
                .put("runner_group_name", assigned ? "GitHub Actions" : null);
        json.putArray("labels").add("ubuntu-latest");
        ArrayNode steps = json.putArray("steps");
        for (WorkflowJob.Step step : job.steps()) {
            ObjectNode s = steps.addObject().put("name", step.name()).put("status", step.status())
                    .put("conclusion", step.conclusion().orElse(null)).put("number", step.number());
            boolean started = !step.status().equals("queued");
            s.put("started_at", started ? job.startedAt().toString() : null)
                    .put("completed_at", step.status().equals("completed")
                            ? job.completedAt().orElse(job.startedAt()).toString()
                            : null);
        }
        return json;
    }
}
