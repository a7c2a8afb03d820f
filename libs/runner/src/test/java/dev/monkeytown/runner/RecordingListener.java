package dev.monkeytown.runner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Keeps every report in arrival order, and lets a test wait for a run's start or outcome. */
public final class RecordingListener implements RunListener {

    public record Started(String runId, RunnerRef ref, Instant at) {
    }

    public record Finished(String runId, RunnerRef ref, RunOutcome outcome) {
    }

    public final List<Object> reports = new ArrayList<>();
    private final Map<String, CompletableFuture<Started>> starts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Finished>> ends = new ConcurrentHashMap<>();

    @Override
    public synchronized void started(String runId, RunnerRef ref, Instant at) {
        Started started = new Started(runId, ref, at);
        reports.add(started);
        startOf(runId).complete(started);
    }

    @Override
    public synchronized void finished(String runId, RunnerRef ref, RunOutcome outcome) {
        Finished finished = new Finished(runId, ref, outcome);
        reports.add(finished);
        endOf(runId).complete(finished);
    }

    public synchronized Object last() {
        return reports.get(reports.size() - 1);
    }

    public synchronized List<Object> reports() {
        return List.copyOf(reports);
    }

    /** The run's outcome report, waiting for it (a bounded wait: a run that never ends fails the test). */
    public Finished awaitFinished(String runId) throws Exception {
        return endOf(runId).get(60, TimeUnit.SECONDS);
    }

    public Started awaitStarted(String runId) throws Exception {
        return startOf(runId).get(60, TimeUnit.SECONDS);
    }

    public boolean hasStarted(String runId) {
        return startOf(runId).isDone();
    }

    private CompletableFuture<Started> startOf(String runId) {
        return starts.computeIfAbsent(runId, id -> new CompletableFuture<>());
    }

    private CompletableFuture<Finished> endOf(String runId) {
        return ends.computeIfAbsent(runId, id -> new CompletableFuture<>());
    }
}
