package dev.monkeytown.build.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;

/** A runner the test drives: it records starts and cancels and reports only what the test tells it to. */
class FakeRunner implements Runner {

    final List<RunSpec> starts = new CopyOnWriteArrayList<>();
    final List<String> cancels = new CopyOnWriteArrayList<>();
    /** What {@link #inspect} answers per run id; {@link RunnerTruth.Unknown} for anything else. */
    final Map<String, RunnerTruth> truths = new ConcurrentHashMap<>();
    volatile RunListener listener;

    @Override
    public String kind() {
        return "fake";
    }

    @Override
    public void listen(RunListener runListener) {
        listener = runListener;
    }

    /** What the runner was asked, in order ("start <run id>", "cancel <run id>"). */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /**
     * When set, a start waits for it before the runner has the run (a GitHub dispatch taking seconds): a cancel asked
     * meanwhile reaches a runner that does not know the run yet.
     */
    volatile java.util.concurrent.CountDownLatch slowStart;

    @Override
    public RunnerRef start(RunSpec spec) {
        java.util.concurrent.CountDownLatch gate = slowStart;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        calls.add("start " + spec.id());
        starts.add(spec);
        truths.put(spec.id(), new RunnerTruth.Pending(RunnerRef.of("fake")));
        return RunnerRef.of("fake");
    }

    @Override
    public void cancel(RunLookup run) {
        calls.add("cancel " + run.id());
        cancels.add(run.id());
    }

    @Override
    public RunnerTruth inspect(RunLookup run) {
        return truths.getOrDefault(run.id(), new RunnerTruth.Unknown());
    }

    @Override
    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return Optional.empty();
    }

    long startsOf(String runId) {
        return starts.stream().filter(s -> s.id().equals(runId)).count();
    }

    void start(String runId) {
        truths.put(runId, new RunnerTruth.Running(RunnerRef.of("fake"), Instant.now()));
        listener.started(runId, RunnerRef.of("fake"), Instant.now());
    }

    void finish(String runId, RunOutcome outcome) {
        truths.put(runId, new RunnerTruth.Finished(RunnerRef.of("fake"), outcome));
        listener.finished(runId, RunnerRef.of("fake"), outcome);
    }
}
