package dev.monkeytown.dispatcher.runner.github;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.monkeytown.dispatcher.runner.RunListener;
import dev.monkeytown.dispatcher.runner.RunOutcome;
import dev.monkeytown.dispatcher.runner.RunnerRef;

/** Keeps every report in arrival order. */
final class RecordingListener implements RunListener {

    record Started(String runId, RunnerRef ref, Instant at) {
    }

    record Finished(String runId, RunnerRef ref, RunOutcome outcome) {
    }

    final List<Object> reports = new ArrayList<>();

    @Override
    public synchronized void started(String runId, RunnerRef ref, Instant at) {
        reports.add(new Started(runId, ref, at));
    }

    @Override
    public synchronized void finished(String runId, RunnerRef ref, RunOutcome outcome) {
        reports.add(new Finished(runId, ref, outcome));
    }

    synchronized Object last() {
        return reports.get(reports.size() - 1);
    }
}
