package dev.monkeytown.build.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.github.GitHubActionsRunner;

/**
 * Telling a lost runner from a failed step by the jobs of a failed run, against the GitHub double: only positive
 * evidence (steps listed, one {@code cancelled}, none {@code failure}) says a runner was lost; anything else leaves the
 * run's verdict, {@code build}.
 */
class WorkflowJobsTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final HostedRepository repo = github.repository("acme", "town");
    private final WorkflowJobs jobs;

    WorkflowJobsTest() throws java.io.IOException {
        repo.commitFiles("main", Map.of("a.txt", "a"), "a");
        GitHubAccess access = GitHubAccess.connect("ghp_jobs-token", GitHubAccessOptions.forApi(github.apiUrl(),
                github.login()).withPacing(WritePacing.unpaced()).withRequestTimeout(Duration.ofSeconds(5)),
                new SimpleMeterRegistry());
        jobs = new WorkflowJobs(access, "acme/town");
    }

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    private WorkflowRun running(String name) {
        WorkflowRun run = repo.actions().trigger("workflow_dispatch", "build.yml", name, "main");
        repo.actions().markInProgress(run.id());
        return run;
    }

    private static RunnerRef ref(WorkflowRun run) {
        return RunnerRef.of(GitHubActionsRunner.KIND).withExternalId(String.valueOf(run.id())).withAttempt(1);
    }

    @Test
    void aRunnerLostUnderAJobIsSaidSo() throws Exception {
        WorkflowRun run = running("build b-1");
        repo.actions().loseRunner(run.id());

        Optional<String> lost = jobs.runnerLost(ref(run));
        assertTrue(lost.isPresent());
        assertTrue(lost.get().contains("build"), lost.get());
    }

    @Test
    void aFailedStepIsTheCommitsVerdict() throws Exception {
        WorkflowRun run = running("build b-2");
        repo.actions().complete(run.id(), "failure");

        assertEquals(Optional.empty(), jobs.runnerLost(ref(run)));
    }

    @Test
    void aFailedJobWithNoStepListedIsNoEvidenceOfALostRunner() throws Exception {
        WorkflowRun run = running("build b-3");
        repo.actions().failWithoutSteps(run.id());

        assertEquals(Optional.empty(), jobs.runnerLost(ref(run)), "no step says anything: the run's verdict stands");
    }
}
