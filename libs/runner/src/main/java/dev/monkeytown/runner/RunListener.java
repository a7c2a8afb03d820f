package dev.monkeytown.runner;

import java.time.Instant;

/**
 * Receives a runner's progress reports. Calls may come from any thread and more than once for the same step (a
 * redelivered webhook); the receiver ignores reports that do not move a run forward.
 */
public interface RunListener {

    /** The command began executing. {@code ref} may carry more than {@link Runner#start} returned (a workflow run id). */
    void started(String runId, RunnerRef ref, Instant at);

    void finished(String runId, RunnerRef ref, RunOutcome outcome);
}
