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

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.dispatcher.runner.LogExcerpt;
import dev.monkeytown.dispatcher.runner.RunListener;
import dev.monkeytown.dispatcher.runner.RunOutcome;
import dev.monkeytown.dispatcher.runner.Runner;
import dev.monkeytown.dispatcher.runner.RunnerRef;
import dev.monkeytown.dispatcher.runner.RunnerTruth;
import dev.monkeytown.dispatcher.runner.RunnerUnavailableException;

/** A runner the test drives by hand: it records what the dispatcher asked and reports what the test says. */
final class FakeRunner implements Runner {

    final List<String> starts = new CopyOnWriteArrayList<>();
    final List<String> cancels = new CopyOnWriteArrayList<>();
    final Map<String, RunnerTruth> truths = new ConcurrentHashMap<>();
    volatile boolean unavailable;
    /** Like a GitHub listing that has not caught up yet: inspect knows nothing of runs it just started. */
    volatile boolean inspectLags;
    /** When set, {@link #start} waits for it: a runner slow to answer. */
    volatile CountDownLatch startGate;
    /** Counted down each time {@link #start} has returned. */
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
    public RunnerRef start(AgentRun run, AgentDeclaration agent) throws RunnerUnavailableException {
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
        starts.add(run.id());
        RunnerRef ref = RunnerRef.of(kind()).withExternalId("ext-" + run.id());
        truths.put(run.id(), new RunnerTruth.Pending(ref));
        startsReturned.incrementAndGet();
        return ref;
    }

    @Override
    public void cancel(AgentRun run, Optional<RunnerRef> ref) {
        cancels.add(run.id());
    }

    @Override
    public RunnerTruth inspect(AgentRun run, Optional<RunnerRef> ref) throws RunnerUnavailableException {
        if (unavailable) {
            throw new RunnerUnavailableException("fake runner is down");
        }
        return inspectLags ? new RunnerTruth.Unknown() : truths.getOrDefault(run.id(), new RunnerTruth.Unknown());
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
