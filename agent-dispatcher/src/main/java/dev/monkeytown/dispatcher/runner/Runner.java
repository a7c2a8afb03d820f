package dev.monkeytown.dispatcher.runner;

import java.util.Optional;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;

/**
 * What the dispatcher drives, whichever place agents execute in: {@code local} subprocesses or {@code github-actions}
 * workflows. Exactly one is active, chosen by {@code monkeytown.dispatcher.runner}.
 *
 * <p>
 * The dispatcher records a run as {@code dispatched} before it calls {@link #start}, so a crash between the two leaves
 * a record that reconciliation ({@link #inspect}) settles; that is what makes the run id, not the call, the idempotency
 * key. Progress after the start arrives through the {@link RunListener} given to {@link #listen}: from the process for
 * the local runner, from {@code workflow_run} webhooks for GitHub Actions.
 */
public interface Runner {

    /** {@code local} or {@code github-actions}; stored with each run so a record says where it ran. */
    String kind();

    /** Registers the one listener progress is reported to. Called once, before the first {@link #start}. */
    void listen(RunListener listener);

    /**
     * Asks the runner to begin {@code run} and returns once it has accepted it; execution happens elsewhere.
     *
     * @return how to find the run at the runner later (a workflow run id); stored with the run record
     * @throws RunnerUnavailableException when the runner could not be reached or refused for a reason that may pass
     *         (GitHub down, rate limited); the dispatcher pauses and retries later after checking {@link #inspect}
     * @throws RunRejectedException when the run can never start as declared; the run fails with the message
     */
    RunnerRef start(AgentRun run, AgentDeclaration agent) throws RunnerUnavailableException, RunRejectedException;

    /**
     * Asks the runner to stop the run. Returns without waiting for it to stop; a run the runner does not know or that
     * already finished is not an error.
     */
    void cancel(AgentRun run, Optional<RunnerRef> ref) throws RunnerUnavailableException;

    /**
     * What the runner knows about the run now: used on start-up and periodically because progress reports can be lost
     * (GitHub does not redeliver missed webhooks; a restarted dispatcher lost its child processes).
     */
    RunnerTruth inspect(AgentRun run, Optional<RunnerRef> ref) throws RunnerUnavailableException;

    /**
     * Part of the run's output, for runners that keep it here: from {@code fromByte}, or the end of it when
     * {@code fromByte} is negative.
     */
    Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes);
}
