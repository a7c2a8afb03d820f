package dev.monkeytown.build.github;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.build.engine.FailureEvidence;
import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.github.GitHubActionsRunner;

/**
 * Tells a hosted runner lost under a job from a step that failed, for a workflow run that concluded {@code failure}:
 * a read of the attempt's jobs ({@code GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{n}/jobs}). Only
 * positive evidence says a runner was lost: a job that concluded {@code failure} whose steps are listed, at least one
 * {@code cancelled} and none {@code failure}. A failed step is the commit's verdict; a job whose steps are not listed
 * (none reported yet, or read just as it completed) or that has no cancelled step says nothing, and the run's verdict
 * stands.
 *
 * <p>
 * What GitHub reports, from the record (no documentation says it): since actions/runner#1792 (2022) a runner that
 * receives a shutdown signal reports its job {@code Failed}, not {@code Cancelled}, so the run concludes
 * {@code failure} ("The runner has received a shutdown signal", actions/runner#2427, #2468); a runner GitHub loses
 * contact with fails its job the same way ("The self-hosted runner: ... lost communication with the server",
 * actions/runner#2040, #3539; "The hosted runner: GitHub Actions N lost communication with the server" on hosted
 * runners). Read through this API, such a job's running step is {@code cancelled} and the later ones {@code skipped},
 * while an ordinary failure has a step that concluded {@code failure} (the table in actions/runner#4422, 2026). The
 * annotations are no better a signal: camunda/camunda#20530 matched their text, and camunda/camunda#57268 found that
 * GitHub now annotates such jobs only with "The operation was canceled.".
 *
 * <p>
 * A job killed by its {@code timeout-minutes} cannot be told apart through this API, from what is on record: its log
 * reads "The operation was canceled." and "The job running on runner ... has exceeded the maximum execution time of N
 * minutes", and the runner cancels the running step exactly as on a shutdown signal, so when GitHub concludes such a
 * job {@code failure} its steps look like a lost runner's (running step {@code cancelled}, none {@code failure}). No
 * field of the jobs answer says which (there is no {@code timed_out} step or job conclusion for it), so such a run is
 * taken for a lost runner and re-run as {@code infra}; a pipeline whose workflow sets {@code timeout-minutes} and
 * should not be re-run on it can leave {@code infra} out of its {@code retry.on}.
 *
 * <p>
 * When the read fails, or the answer does not list every job, or no job failed, nothing is claimed and the run's own
 * verdict ({@code build}) stands, as it did before this read existed: taking a failed step for a lost runner would
 * re-run (and bill) a deterministic failure and hide a broken commit from its streak, while taking a lost runner for a
 * failed step costs one manual retry.
 */
public final class WorkflowJobs implements FailureEvidence {

    /** GitHub's largest page: a build workflow with more jobs than this is not judged from a partial list. */
    private static final int PAGE = 100;

    private final GitHubAccess access;
    private final String repositoryPath;
    private final ObjectMapper json = new ObjectMapper();

    /** @param repository {@code owner/name} */
    public WorkflowJobs(GitHubAccess access, String repository) {
        this.access = Objects.requireNonNull(access, "access");
        this.repositoryPath = "/repos/" + Objects.requireNonNull(repository, "repository");
    }

    @Override
    public boolean wanted(RunnerRef ref, RunOutcome outcome) {
        return GitHubActionsRunner.KIND.equals(ref.kind()) && ref.externalId().isPresent()
                && outcome instanceof RunOutcome.Failed failed
                && GitHubActionsRunner.conclusion(failed).filter("failure"::equals).isPresent();
    }

    @Override
    public Optional<String> runnerLost(RunnerRef ref) throws IOException {
        String workflowRunId = ref.externalId().orElseThrow();
        int attempt = ref.attempt().orElse(1);
        ApiResponse response;
        try {
            // a finished attempt's jobs no longer change: nothing to revalidate later
            response = access.getImmutable(repositoryPath + "/actions/runs/" + workflowRunId + "/attempts/" + attempt
                    + "/jobs?per_page=" + PAGE);
        } catch (GitHubUnavailableException e) {
            throw new IOException("GitHub unreachable: " + e.getMessage(), e);
        }
        if (!response.isSuccess()) {
            throw new IOException("GitHub answered HTTP " + response.status() + " listing the jobs of workflow run "
                    + workflowRunId + " attempt " + attempt);
        }
        JsonNode root = json.readTree(response.body());
        JsonNode jobs = root.path("jobs");
        if (root.path("total_count").asInt(jobs.size()) > jobs.size()) {
            return Optional.empty(); // a failed step may be in a job not listed
        }
        List<String> lost = new ArrayList<>();
        for (JsonNode job : jobs) {
            if (!"failure".equals(job.path("conclusion").asText())) {
                continue;
            }
            boolean stepFailed = false;
            boolean stepCancelled = false;
            for (JsonNode step : job.path("steps")) {
                stepFailed |= "failure".equals(step.path("conclusion").asText());
                stepCancelled |= "cancelled".equals(step.path("conclusion").asText());
            }
            if (stepFailed) {
                return Optional.empty(); // the commit's verdict, whatever else happened
            }
            if (!stepCancelled) {
                // no step listed yet, or none stopped: nothing says the runner went away
                return Optional.empty();
            }
            lost.add(job.path("name").asText("?"));
        }
        if (lost.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("job " + String.join(", ", lost) + " failed with no failed step: its runner was lost"
                + " (shut down or out of contact with GitHub)");
    }
}
