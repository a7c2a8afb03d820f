package dev.monkeytown.build.engine;

import java.io.IOException;
import java.util.Optional;

import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunnerRef;

/**
 * What a runner's failure report cannot say by itself, asked of the runner's side once, before the attempt's result is
 * classified ({@link dev.monkeytown.build.builds.AttemptResult#of}). GitHub Actions concludes a run {@code failure}
 * both when a step failed and when the hosted runner was lost under a job; only the jobs tell which.
 */
public interface FailureEvidence {

    /** Whether this report needs a look before it is classified. */
    boolean wanted(RunnerRef ref, RunOutcome outcome);

    /**
     * Why the attempt's runner was lost rather than a step failing, or empty when nothing says so. Called off the loop
     * thread; may block on the network.
     *
     * @throws IOException when the runner's side could not be read: the report is classified as it stands
     */
    Optional<String> runnerLost(RunnerRef ref) throws IOException;

    /** Reports classified as they stand (the local runner's exit codes say everything). */
    FailureEvidence NONE = new FailureEvidence() {
        @Override
        public boolean wanted(RunnerRef ref, RunOutcome outcome) {
            return false;
        }

        @Override
        public Optional<String> runnerLost(RunnerRef ref) {
            return Optional.empty();
        }
    };
}
