package dev.monkeytown.runner;

import java.util.Optional;

/**
 * Something that runs a command for a service (an agent run now; a build or a deployment next): a local subprocess or
 * a GitHub Actions workflow, behind one interface so a service never cares which.
 *
 * <p>
 * The caller records a run as dispatched before it calls {@link #start}, so a crash between the two leaves a record
 * that {@link #inspect} settles; that is what makes the run id, not the call, the idempotency key. Progress after the
 * start arrives through the {@link RunListener} given to {@link #listen}: from the process for the local runner, from
 * {@code workflow_run} webhooks for GitHub Actions. Reports can be lost (GitHub does not redeliver webhooks, a restarted
 * service lost its child processes), so callers also ask {@link #inspect} now and then.
 */
public interface Runner extends AutoCloseable {

    /** {@code local} or {@code github-actions}; stored with each run so a record says where it ran. */
    String kind();

    /** Registers the one listener progress is reported to. Called once, before the first {@link #start}. */
    void listen(RunListener listener);

    /**
     * This instance now owns the runs (its writer takeover is done, before it reads them back): stops whatever an
     * earlier owner left running here. Not done at construction, where another instance may still own them — a rolling
     * update starts the new instance beside the old.
     */
    default void takeOver() {
    }

    /**
     * Asks the runner to begin the run and returns once it has accepted it; execution happens elsewhere.
     *
     * @return how to find the run at the runner later; stored with the run record
     * @throws RunnerUnavailableException when the runner could not be reached or refused for a reason that may pass
     *         (GitHub down, rate limited, an answer lost); the caller retries later after asking {@link #inspect}
     * @throws RunRejectedException when the run can never start as specified; the run fails with the message
     */
    RunnerRef start(RunSpec spec) throws RunnerUnavailableException, RunRejectedException;

    /**
     * Stops the run and everything it started. Returns without waiting for it to stop; the runner keeps trying until
     * the stop is confirmed (a GitHub cancel is retried until GitHub shows the run completed). A run the runner does
     * not know or that already finished is not an error.
     */
    void cancel(RunLookup run) throws RunnerUnavailableException;

    /** What the runner knows about the run now. */
    RunnerTruth inspect(RunLookup run) throws RunnerUnavailableException;

    /**
     * Part of the run's output, for runners that keep it here: from {@code fromByte}, or the end of it when
     * {@code fromByte} is negative. Secrets are already masked.
     */
    Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes);

    /** Stops every run still in flight here and releases the runner's threads. */
    @Override
    default void close() {
    }
}
