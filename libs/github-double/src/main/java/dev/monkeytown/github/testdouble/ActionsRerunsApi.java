package dev.monkeytown.github.testdouble;

import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Re-running a workflow run's failed jobs and reading one attempt of a run:
 * {@code POST .../actions/runs/{run_id}/rerun-failed-jobs} (201; the run's {@code run_attempt} goes up by one, it is
 * queued again under the same id and title; 403 while it is still going or when it succeeded, 404 for a run GitHub does
 * not know) and {@code GET .../actions/runs/{run_id}/attempts/{attempt_number}} (the run as of that attempt; 404 for
 * an attempt it has not had). A test plays the re-run's progress with {@link HostedActions} as for any run.
 */
final class ActionsRerunsApi implements ApiArea {

    private static final String DOCS = "https://docs.github.com/rest/actions/workflow-runs";

    private final GitHubDouble host;

    ActionsRerunsApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.write("POST", "/repos/([^/]+)/([^/]+)/actions/runs/([0-9]+)/rerun-failed-jobs", this::rerun)
                .read("GET", "/repos/([^/]+)/([^/]+)/actions/runs/([0-9]+)/attempts/([0-9]+)", this::attempt);
    }

    private DoubleResponse rerun(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> repo = host.existing(path.group(1), path.group(2));
        long id = Long.parseLong(path.group(3));
        if (repo.isEmpty() || repo.get().actions().run(id).isEmpty()) {
            return DoubleResponse.error(404, "Not Found", DOCS + "#re-run-failed-jobs-from-a-workflow-run");
        }
        if (!repo.get().actions().rerunFailedJobs(id)) {
            return DoubleResponse.error(403, repo.get().actions().run(id).orElseThrow().completed()
                    ? "This workflow run has no failed jobs to re-run."
                    : "This workflow is already running", DOCS + "#re-run-failed-jobs-from-a-workflow-run");
        }
        return DoubleResponse.of(201, Json.object());
    }

    private DoubleResponse attempt(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> repo = host.existing(path.group(1), path.group(2));
        return repo.flatMap(r -> r.actions().attempt(Long.parseLong(path.group(3)), Integer.parseInt(path.group(4)))
                .map(run -> DoubleResponse.of(200, WorkflowRunJson.of(host, r, run))))
                .orElseGet(() -> DoubleResponse.error(404, "Not Found", DOCS + "#get-a-workflow-run-attempt"));
    }
}
