package dev.monkeytown.github.testdouble;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A workflow run in the shape of GitHub's {@code workflow-run} schema. */
final class WorkflowRunJson {

    private WorkflowRunJson() {
    }

    static String apiUrl(GitHubDouble host, HostedRepository repo, WorkflowRun run) {
        return host.apiUrl() + "/repos/" + repo.fullName() + "/actions/runs/" + run.id();
    }

    static String htmlUrl(HostedRepository repo, WorkflowRun run) {
        return "https://github.com/" + repo.fullName() + "/actions/runs/" + run.id();
    }

    static ObjectNode of(GitHubDouble host, HostedRepository repo, WorkflowRun run) {
        String url = apiUrl(host, repo, run);
        ObjectNode json = Json.object().put("id", run.id()).put("name", run.workflowName())
                .put("node_id", host.nodeId("WorkflowRun", String.valueOf(run.id())))
                .put("check_suite_id", run.id() + 1)
                .put("check_suite_node_id", host.nodeId("CheckSuite", String.valueOf(run.id() + 1)))
                .put("head_branch", run.headBranch()).put("head_sha", run.headSha()).put("path", run.path())
                .put("display_title", run.displayTitle()).put("run_number", run.runNumber())
                .put("run_attempt", run.runAttempt())
                .put("event", run.event()).put("status", run.status()).put("conclusion", run.conclusion().orElse(null))
                .put("workflow_id", run.workflowId()).put("url", url).put("html_url", htmlUrl(repo, run))
                .put("created_at", run.createdAt().toString()).put("updated_at", run.updatedAt().toString())
                .put("run_started_at", run.runStartedAt().toString()).put("jobs_url", url + "/jobs")
                .put("logs_url", url + "/logs").put("artifacts_url", url + "/artifacts")
                .put("cancel_url", url + "/cancel").put("rerun_url", url + "/rerun")
                .put("check_suite_url", host.apiUrl() + "/repos/" + repo.fullName() + "/check-suites/" + (run.id() + 1))
                .put("workflow_url", host.apiUrl() + "/repos/" + repo.fullName() + "/actions/workflows/"
                        + run.workflowId())
                .put("previous_attempt_url", run.runAttempt() > 1 ? url + "/attempts/" + (run.runAttempt() - 1) : null);
        json.putArray("pull_requests");
        json.putArray("referenced_workflows");
        ObjectNode actor = UsersApi.simpleUser(host, host.login(), 1);
        json.set("actor", actor);
        json.set("triggering_actor", actor.deepCopy());
        var head = repo.objects().find(run.headSha(), GitObjects.Commit.class);
        ObjectNode commit = json.putObject("head_commit").put("id", run.headSha())
                .put("tree_id", head.map(GitObjects.Commit::tree).orElse(run.headSha()))
                .put("message", head.map(GitObjects.Commit::message).orElse(""))
                .put("timestamp", run.createdAt().toString());
        commit.putObject("author").put("name", host.login()).put("email", host.login() + "@users.noreply.github.com");
        commit.putObject("committer").put("name", "GitHub").put("email", "noreply@github.com");
        json.set("repository", repositoryJson(host, repo));
        json.set("head_repository", repositoryJson(host, repo));
        json.put("head_repository_id", repo.id());
        return json;
    }

    private static ObjectNode repositoryJson(GitHubDouble host, HostedRepository repo) {
        ObjectNode json = Json.object().put("id", repo.id())
                .put("node_id", host.nodeId("Repository", repo.fullName())).put("name", repo.name())
                .put("full_name", repo.fullName()).put("private", true)
                .put("html_url", "https://github.com/" + repo.fullName())
                .put("url", host.apiUrl() + "/repos/" + repo.fullName()).put("fork", false);
        json.set("owner", UsersApi.simpleUser(host, repo.owner(), repo.id() + 1));
        return json;
    }
}
