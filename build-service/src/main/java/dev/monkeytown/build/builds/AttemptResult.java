package dev.monkeytown.build.builds;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.github.GitHubActionsRunner;

/**
 * How one attempt ended, in the build's terms. {@link #of} is the one place a runner's report is classified; everything
 * after it (retry decision, attempt record, metrics, events) reads the class decided here.
 */
public sealed interface AttemptResult {

    Instant at();

    record Succeeded(Instant at) implements AttemptResult {
        public Succeeded {
            Objects.requireNonNull(at, "at");
        }
    }

    /** @param exitCode the command's exit code, null when it never ran or was stopped */
    record Failed(FailureClass failureClass, Integer exitCode, String reason, Instant at) implements AttemptResult {
        public Failed {
            Objects.requireNonNull(failureClass, "failureClass");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Stopped because an operator cancelled the build. */
    record Cancelled(Instant at) implements AttemptResult {
        public Cancelled {
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * @param cancelRequested whether this service asked the runner to stop the build: a stop nobody here asked for (a
     *        workflow run cancelled on GitHub, a runner shutting down) is the machinery failing, so {@code infra}
     */
    /** 128 + SIGKILL, 128 + SIGTERM: how a shell or the JVM reports a command killed from outside. */
    Set<Integer> KILLED_BY_THE_HOST = Set.of(137, 143);

    /**
     * As {@link #of(RunOutcome, boolean)}, knowing which runner reported: a GitHub Actions workflow run that concluded
     * {@code failure} is the workflow's verdict on the commit (a step failed), so {@code build}, although no exit code
     * comes with it; every other conclusion without success ({@code startup_failure}, {@code stale}, ...) is the
     * machinery's.
     */
    static AttemptResult of(String runnerKind, RunOutcome outcome, boolean cancelRequested) {
        return of(runnerKind, outcome, cancelRequested, Optional.empty());
    }

    /**
     * As {@link #of(String, RunOutcome, boolean)}, with what the runner's side said when asked once
     * ({@code dev.monkeytown.build.engine.FailureEvidence}): a workflow run that concluded {@code failure} because its
     * runner was lost ({@code runnerLost}: why it is known) is the machinery failing, so {@code infra}.
     */
    static AttemptResult of(String runnerKind, RunOutcome outcome, boolean cancelRequested,
            Optional<String> runnerLost) {
        if (GitHubActionsRunner.KIND.equals(runnerKind) && outcome instanceof RunOutcome.Failed failed
                && GitHubActionsRunner.conclusion(failed).filter("failure"::equals).isPresent()) {
            return runnerLost.<AttemptResult>map(why -> new Failed(FailureClass.INFRA, null,
                    failed.reason() + ", but " + why, failed.finishedAt()))
                    .orElseGet(() -> new Failed(FailureClass.BUILD, null, failed.reason(), failed.finishedAt()));
        }
        return of(outcome, cancelRequested);
    }

    static AttemptResult of(RunOutcome outcome, boolean cancelRequested) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof RunOutcome.Succeeded succeeded) {
            return new Succeeded(succeeded.finishedAt());
        }
        if (outcome instanceof RunOutcome.TimedOut timedOut) {
            return new Failed(FailureClass.TIMEOUT, null, "timed out", timedOut.finishedAt());
        }
        if (outcome instanceof RunOutcome.Cancelled cancelled) {
            return cancelRequested
                    ? new Cancelled(cancelled.finishedAt())
                    : new Failed(FailureClass.INFRA, null, "stopped by the runner, not by a cancel",
                            cancelled.finishedAt());
        }
        RunOutcome.Failed failed = (RunOutcome.Failed) outcome;
        // a non-zero exit is the command's verdict, except 128 + SIGKILL or SIGTERM: something else stopped it (the
        // OOM killer, a shutdown, kill -9); no exit code (never ran, runner lost) or exit 0 with the work not carried
        // through (outputs or branch not stored) is the machinery's too
        if (failed.exitCode().isPresent() && KILLED_BY_THE_HOST.contains(failed.exitCode().getAsInt())) {
            return new Failed(FailureClass.INFRA, failed.exitCode().getAsInt(),
                    failed.reason() + " (killed by a signal: the machinery's failure, not the command's verdict)",
                    failed.finishedAt());
        }
        if (failed.exitCode().isPresent() && failed.exitCode().getAsInt() != 0) {
            return new Failed(FailureClass.BUILD, failed.exitCode().getAsInt(), failed.reason(), failed.finishedAt());
        }
        Integer exit = failed.exitCode().isPresent() ? failed.exitCode().getAsInt() : null;
        return new Failed(FailureClass.INFRA, exit, failed.reason(), failed.finishedAt());
    }
}
