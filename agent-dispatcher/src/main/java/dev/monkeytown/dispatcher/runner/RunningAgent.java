package dev.monkeytown.dispatcher.runner;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Handle on a run that a runner accepted.
 *
 * @param started completes with the moment the agent's process began (the dispatcher's {@code running} transition); it
 *        completes exceptionally with {@link RunNotStartedException} when the run ended before the agent ever ran
 * @param outcome completes once the run is over and its scratch space is cleaned up; it never completes exceptionally
 */
public record RunningAgent(String runId, String branch, CompletionStage<Instant> started,
        CompletionStage<RunOutcome> outcome) {

    public RunningAgent {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(outcome, "outcome");
    }
}
