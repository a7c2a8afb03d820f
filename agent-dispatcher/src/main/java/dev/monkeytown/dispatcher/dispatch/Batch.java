package dev.monkeytown.dispatcher.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.dispatcher.runs.RunRecord;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;

/**
 * Everything one turn of the dispatch loop decided, committed together: the loop's own group commit. Nothing a batch
 * promises (an answer to a client, an event, a call to a runner) happens before its commit is durable, so what others
 * see is never ahead of the state branch; if the commit fails, none of it happens.
 */
final class Batch {

    /** Something that happened to a run in this batch, announced as event {@code type} once committed. */
    record Announcement(String type, RunRecord record) {
    }

    final Instant now;
    private final Map<String, RunRecord> records = new LinkedHashMap<>();
    private final List<Announcement> announcements = new ArrayList<>();
    private final Map<String, Instant> ticks = new TreeMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Consumer<Throwable>> onFailure = new ArrayList<>();

    Batch(Instant now) {
        this.now = now;
    }

    /**
     * Records the run's new state, written once per batch with its latest record. Every announcement is kept in order:
     * queued then dispatched in the same turn is two things that happened.
     *
     * @param event the event type to publish, or null for a change nobody is told about (a runner reference)
     */
    void stage(RunRecord record, String event) {
        records.put(record.id(), record);
        if (event != null) {
            announcements.add(new Announcement(event, record));
        }
    }

    void stageTick(String agent, Instant tick) {
        ticks.put(agent, tick);
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void onFailure(Consumer<Throwable> action) {
        onFailure.add(action);
    }

    boolean hasWrites() {
        return !records.isEmpty() || !ticks.isEmpty();
    }

    List<RunRecord> records() {
        return List.copyOf(records.values());
    }

    List<Announcement> announcements() {
        return announcements;
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    List<Consumer<Throwable>> failureActions() {
        return onFailure;
    }

    /** The state-branch change: pure puts of values decided already, so re-running it after a lost race is harmless. */
    Change toChange(RunBook book, String service) {
        List<RunRecord> toWrite = List.copyOf(records.values());
        Map<String, Instant> tickCopy = Map.copyOf(ticks);
        return new Change(message(), Actor.service(service), workspace -> {
            toWrite.forEach(record -> book.stage(workspace, record));
            tickCopy.forEach((agent, tick) -> book.stageTick(workspace, agent, tick));
        });
    }

    /** "run.queued ×2, run.dispatched" — the state branch's log reads as what happened. */
    private String message() {
        Map<String, Integer> counts = new TreeMap<>();
        announcements.forEach(a -> counts.merge(a.type(), 1, Integer::sum));
        if (counts.isEmpty() && !records.isEmpty()) {
            counts.put("run.updated", records.size());
        }
        if (!ticks.isEmpty()) {
            counts.put("schedule.ticked", ticks.size());
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((event, n) -> parts.add(n == 1 ? event : event + " ×" + n));
        return String.join(", ", parts);
    }
}
