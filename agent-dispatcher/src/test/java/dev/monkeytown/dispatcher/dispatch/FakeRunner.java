package dev.monkeytown.dispatcher.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;

/**
 * A runner the test drives by hand: it records what the dispatcher asked and reports what the test says. It fails as
 * runners fail: down altogether ({@link #unavailable}), or taking a start and losing the answer
 * ({@link #loseNextStartAnswers}), after which it cannot tell for a while whether it has the run
 * ({@link #unconfirmedUntil}, as a GitHub listing lags behind a dispatch).
 */
final class FakeRunner implements Runner {

    final List<String> starts = new CopyOnWriteArrayList<>();
    final List<String> cancels = new CopyOnWriteArrayList<>();
    final List<String> inspections = new CopyOnWriteArrayList<>();
    final Map<String, RunnerTruth> truths = new ConcurrentHashMap<>();
    volatile boolean unavailable;
    volatile int loseNextStartAnswers;
    /** While set, a run whose start was not answered inspects as not-yet-known until this instant. */
    volatile Instant unconfirmedUntil;
    /** Worse than a lagging listing: inspect says it has no trace of runs it just started. */
    volatile boolean inspectLags;
    /** When set, {@link #start} waits for it: a runner slow to answer. */
    volatile CountDownLatch startGate;
    /** Counted each time {@link #start} has answered (returned or thrown). */
    final AtomicInteger startsReturned = new AtomicInteger();
    private volatile RunListener listener;

    @Override
    public String kind() {
        return "fake";
    }

    @Override
    public void listen(RunListener runListener) {
        this.listener = runListener;
    }

    @Override
    public RunnerRef start(RunSpec spec) throws RunnerUnavailableException {
        if (unavailable) {
            throw new RunnerUnavailableException("fake runner is down");
        }
        CountDownLatch gate = startGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        starts.add(spec.id());
        RunnerRef ref = RunnerRef.of(kind()).withExternalId("ext-" + spec.id());
        truths.put(spec.id(), new RunnerTruth.Pending(ref));
        startsReturned.incrementAndGet();
        if (loseNextStartAnswers > 0) {
            loseNextStartAnswers--;
            throw new RunnerUnavailableException("fake runner took the run and lost the answer");
        }
        return ref;
    }

    @Override
    public void cancel(RunLookup run) {
        cancels.add(run.id());
    }

    @Override
    public RunnerTruth inspect(RunLookup run) throws RunnerUnavailableException {
        if (unavailable) {
            throw new RunnerUnavailableException("fake runner is down");
        }
        inspections.add(run.id());
        if (inspectLags) {
            return new RunnerTruth.Unknown();
        }
        Instant until = unconfirmedUntil;
        if (run.ref().isEmpty() && until != null) {
            return new RunnerTruth.Unconfirmed(until);
        }
        return truths.getOrDefault(run.id(), new RunnerTruth.Unknown());
    }

    @Override
    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return Optional.empty();
    }

    void reportStarted(String runId) {
        RunnerRef ref = RunnerRef.of(kind()).withExternalId("ext-" + runId);
        truths.put(runId, new RunnerTruth.Running(ref, Instant.now()));
        listener.started(runId, ref, Instant.now());
    }

    void reportFinished(String runId, RunOutcome outcome) {
        RunnerRef ref = RunnerRef.of(kind()).withExternalId("ext-" + runId);
        truths.put(runId, new RunnerTruth.Finished(ref, outcome));
        listener.finished(runId, ref, outcome);
    }
}
