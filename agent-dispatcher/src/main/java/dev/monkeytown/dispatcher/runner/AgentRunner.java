package dev.monkeytown.dispatcher.runner;

import java.util.Optional;

/**
 * What the dispatcher needs from whatever executes an agent: the local subprocess runner now, GitHub Actions later. Kept to
 * the calls the dispatcher makes so a second implementation (or a test fake) stays small.
 */
public interface AgentRunner {

    /**
     * Asks for the run to begin and returns at once; checkout and execution happen elsewhere, and the returned handle
     * reports how it went.
     *
     * @throws IllegalStateException when a run with the same id is still in flight on this runner
     */
    RunningAgent start(RunRequest request);

    /**
     * Asks an in-flight run to stop; its outcome then completes as {@link RunOutcome.Cancelled}. Returns {@code false} when
     * the runner knows no such run or it already finished (cancelling late is not an error for the caller).
     */
    boolean cancel(String runId);

    /** The end of the run's output, for runs whose output this runner keeps. */
    Optional<LogExcerpt> log(String runId);
}
