package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One job of one attempt of a workflow run, as {@code GET .../attempts/{n}/jobs} lists it. The double's runs have one
 * job, {@code build}, with three steps ({@code Set up job}, {@code Run ./build.sh}, {@code Complete job}).
 *
 * @param conclusion set once completed, as the run's
 * @param steps what each step did so far
 */
public record WorkflowJob(long runId, int runAttempt, String name, String status, Optional<String> conclusion,
        Instant startedAt, Optional<Instant> completedAt, List<Step> steps) {

    /** @param conclusion set once the step completed ({@code success}, {@code failure}, {@code cancelled}, {@code skipped}) */
    public record Step(int number, String name, String status, Optional<String> conclusion) {
    }

    static final String SET_UP = "Set up job";
    static final String BUILD = "Run ./build.sh";
    static final String COMPLETE = "Complete job";

    /**
     * The job of {@code run} as GitHub reports it. A failure is the build step's; a lost runner leaves the step that
     * was running {@code cancelled} and the later ones {@code skipped}, so no step concluded {@code failure} although
     * the job did — what GitHub reports for a runner that was shut down or lost under a job (actions/runner#1792 made
     * a runner shutdown fail the job; actions/runner#4422 lists the steps of such jobs read through this API).
     */
    static WorkflowJob of(WorkflowRun run, boolean runnerLost) {
        Optional<Instant> completedAt = run.completed() ? Optional.of(run.updatedAt()) : Optional.empty();
        List<Step> steps = switch (run.status()) {
            case "queued" -> List.of();
            case "in_progress" -> List.of(done(1, SET_UP, "success"), new Step(2, BUILD, "in_progress",
                    Optional.empty()), new Step(3, COMPLETE, "queued", Optional.empty()));
            default -> completedSteps(run.conclusion().orElse("success"), runnerLost);
        };
        return new WorkflowJob(run.id(), run.runAttempt(), "build", run.status(), run.conclusion(),
                run.runStartedAt(), completedAt, steps);
    }

    /** The same job with no step listed yet. */
    WorkflowJob withoutSteps() {
        return new WorkflowJob(runId, runAttempt, name, status, conclusion, startedAt, completedAt, List.of());
    }

    private static List<Step> completedSteps(String conclusion, boolean runnerLost) {
        if (runnerLost) {
            return List.of(done(1, SET_UP, "success"), done(2, BUILD, "cancelled"), done(3, COMPLETE, "skipped"));
        }
        return switch (conclusion) {
            case "success" -> List.of(done(1, SET_UP, "success"), done(2, BUILD, "success"),
                    done(3, COMPLETE, "success"));
            case "startup_failure" -> List.of();
            default -> List.of(done(1, SET_UP, "success"), done(2, BUILD, conclusion), done(3, COMPLETE, "success"));
        };
    }

    private static Step done(int number, String name, String conclusion) {
        return new Step(number, name, "completed", Optional.of(conclusion));
    }
}
