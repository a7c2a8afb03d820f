package dev.monkeytown.github.testdouble;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * GitHub Actions: workflows, {@code workflow_dispatch}, workflow runs and their cancellation. Runs then move only when a
 * test says so ({@link HostedActions}), since the double has no runners.
 */
final class ActionsApi implements ApiArea {

    private static final String REPO = "/repos/([^/]+)/([^/]+)";
    private static final String DOCS = "https://docs.github.com/rest/actions/";

    private final GitHubDouble host;

    ActionsApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", REPO + "/actions/workflows", this::listWorkflows)
                .write("POST", REPO + "/actions/workflows/([^/]+)/dispatches", this::dispatch)
                .read("GET", REPO + "/actions/workflows/([^/]+)/runs", this::listRuns)
                .read("GET", REPO + "/actions/runs/([0-9]+)", this::getRun)
                .write("POST", REPO + "/actions/runs/([0-9]+)/cancel", this::cancel);
    }

    private DoubleResponse inRepo(Matcher path, Function<HostedRepository, DoubleResponse> action) {
        return host.existing(path.group(1), path.group(2)).map(action).orElseGet(DoubleResponse::notFound);
    }

    private DoubleResponse listWorkflows(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            ObjectNode json = Json.object();
            ArrayNode workflows = Json.array();
            Optional<String> head = repo.resolve(HostedRepository.DEFAULT_BRANCH);
            head.map(sha -> repo.filesAt("refs/heads/" + HostedRepository.DEFAULT_BRANCH)).orElse(Map.of()).keySet()
                    .stream().filter(p -> p.startsWith(".github/workflows/") && p.indexOf('/', 18) < 0)
                    .forEach(p -> workflows.add(workflowJson(repo,
                            new WorkflowFile(p, repo.fileAt(head.get(), p).orElse("")))));
            json.put("total_count", workflows.size());
            json.set("workflows", workflows);
            return DoubleResponse.of(200, json);
        });
    }

    private DoubleResponse dispatch(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            JsonNode body = request.json();
            String ref = body.get("ref").asText();
            Optional<String> commit = repo.resolve(ref);
            if (commit.isEmpty()) {
                return DoubleResponse.error(422, "No ref found for: " + ref,
                        DOCS + "workflows#create-a-workflow-dispatch-event");
            }
            Optional<String> workflowPath = workflowPath(repo, path.group(3));
            Optional<String> text = workflowPath.flatMap(p -> repo.fileAt(commit.get(), p));
            if (text.isEmpty()) {
                return DoubleResponse.error(404, "Not Found", DOCS + "workflows#create-a-workflow-dispatch-event");
            }
            WorkflowFile workflow = new WorkflowFile(workflowPath.get(), text.get());
            if (!workflow.dispatchable()) {
                return DoubleResponse.error(422, "Workflow does not have 'workflow_dispatch' trigger",
                        DOCS + "workflows#create-a-workflow-dispatch-event");
            }
            Map<String, String> inputs = new LinkedHashMap<>();
            body.path("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
            List<String> unexpected = inputs.keySet().stream().filter(i -> !workflow.declaresInput(i)).toList();
            if (!unexpected.isEmpty()) {
                return DoubleResponse.error(422, "Unexpected inputs provided: " + Json.MAPPER.valueToTree(unexpected),
                        DOCS + "workflows#create-a-workflow-dispatch-event");
            }
            String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
            String file = workflowPath.get().substring(".github/workflows/".length());
            WorkflowRun run = repo.actions().dispatch(file, workflow.name(), workflow.displayTitle(inputs), branch,
                    commit.get());
            if (!body.path("return_run_details").asBoolean(false) || repo.actions().omitsRunDetails()) {
                return DoubleResponse.of(204, null);
            }
            return DoubleResponse.of(200, Json.object().put("workflow_run_id", run.id())
                    .put("run_url", WorkflowRunJson.apiUrl(host, repo, run))
                    .put("html_url", WorkflowRunJson.htmlUrl(repo, run)));
        });
    }

    private DoubleResponse listRuns(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            Optional<String> workflowPath = workflowPath(repo, path.group(3));
            if (workflowPath.isEmpty()) {
                return DoubleResponse.error(404, "Not Found", DOCS + "workflow-runs#list-workflow-runs-for-a-workflow");
            }
            CreatedQuery created = CreatedQuery.parse(request.query().get("created"));
            Optional<String> event = Optional.ofNullable(request.query().get("event"));
            Optional<String> status = Optional.ofNullable(request.query().get("status"));
            List<WorkflowRun> matching = repo.actions().runs().stream()
                    .filter(r -> r.path().equals(workflowPath.get()))
                    .filter(repo.actions()::listed)
                    .filter(r -> event.map(r.event()::equals).orElse(true))
                    .filter(r -> status.map(s -> s.equals(r.status()) || r.conclusion().filter(s::equals).isPresent())
                            .orElse(true))
                    .filter(r -> created.test(r.createdAt())).toList();
            int perPage = Math.min(100, Integer.parseInt(request.query().getOrDefault("per_page", "30")));
            int page = Math.max(1, Integer.parseInt(request.query().getOrDefault("page", "1")));
            ObjectNode json = Json.object().put("total_count", matching.size());
            ArrayNode runs = json.putArray("workflow_runs");
            matching.stream().skip((long) (page - 1) * perPage).limit(perPage)
                    .forEach(r -> runs.add(WorkflowRunJson.of(host, repo, r)));
            return DoubleResponse.of(200, json);
        });
    }

    private DoubleResponse getRun(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> repo.actions().run(Long.parseLong(path.group(3)))
                .map(run -> DoubleResponse.of(200, WorkflowRunJson.of(host, repo, run)))
                .orElseGet(() -> DoubleResponse.error(404, "Not Found", DOCS + "workflow-runs#get-a-workflow-run")));
    }

    private DoubleResponse cancel(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            long id = Long.parseLong(path.group(3));
            if (repo.actions().run(id).isEmpty()) {
                return DoubleResponse.error(404, "Not Found", DOCS + "workflow-runs#cancel-a-workflow-run");
            }
            if (!repo.actions().cancel(id)) {
                return DoubleResponse.error(409, "Cannot cancel a workflow run that is completed.",
                        DOCS + "workflow-runs#cancel-a-workflow-run");
            }
            return DoubleResponse.of(202, Json.object());
        });
    }

    /** A workflow is named by its file name ({@code agent-x.yml}) or its numeric id. */
    private static Optional<String> workflowPath(HostedRepository repo, String workflowId) {
        if (workflowId.chars().allMatch(Character::isDigit)) {
            return repo.actions().workflowPath(Long.parseLong(workflowId));
        }
        return Optional.of(".github/workflows/" + workflowId);
    }

    private ObjectNode workflowJson(HostedRepository repo, WorkflowFile workflow) {
        long id = repo.actions().workflowId(workflow.path());
        return Json.object().put("id", id).put("node_id", host.nodeId("Workflow", String.valueOf(id)))
                .put("name", workflow.name()).put("path", workflow.path()).put("state", "active")
                .put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z")
                .put("url", host.apiUrl() + "/repos/" + repo.fullName() + "/actions/workflows/" + id)
                .put("html_url", "https://github.com/" + repo.fullName() + "/blob/main/" + workflow.path())
                .put("badge_url", "https://github.com/" + repo.fullName() + "/workflows/" + workflow.name()
                        + "/badge.svg");
    }
}
