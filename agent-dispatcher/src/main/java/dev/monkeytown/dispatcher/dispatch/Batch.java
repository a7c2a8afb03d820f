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
import dev.monkeytown.state.ChangeRejectedException;

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
    /** Per run, the revision the branch holds as far as the loop knows: the change writes only over that one. */
    private final Map<String, Long> expectedRevisions = new LinkedHashMap<>();
    private final List<Announcement> announcements = new ArrayList<>();
    private final Map<String, Instant> ticks = new TreeMap<>();
    private String processedHead;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Consumer<Throwable>> onFailure = new ArrayList<>();

    Batch(Instant now) {
        this.now = now;
    }

    /**
     * Records the run's new state, written once per batch with its latest record, one revision above the one the
     * loop last saw on the branch. Every announcement is kept in order: queued then dispatched in the same turn is two
     * things that happened.
     *
     * @param event the event type to publish, or null for a change nobody is told about (a runner reference)
     * @return the record as it will be stored (with its new revision): what the loop keeps
     */
    RunRecord stage(RunRecord record, String event) {
        long seen = expectedRevisions.computeIfAbsent(record.id(), id -> record.revision());
        RunRecord stamped = record.withRevision(seen + 1);
        records.put(record.id(), stamped);
        if (event != null) {
            announcements.add(new Announcement(event, stamped));
        }
        return stamped;
    }

    void stageTick(String agent, Instant tick) {
        ticks.put(agent, tick);
    }

    /** The default-branch head whose changes this batch turned into on-change runs. */
    void stageProcessedHead(String head) {
        processedHead = head;
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void onFailure(Consumer<Throwable> action) {
        onFailure.add(action);
    }

    boolean hasWrites() {
        return !records.isEmpty() || !ticks.isEmpty() || processedHead != null;
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

    /**
     * The state-branch change. It reads what it changes: each record is written only over the revision the loop
     * decided on, so a change re-run on a head another writer moved (a second dispatcher during a rolling update, a
     * record changed by hand) is refused instead of overwriting, and the loop reloads the branch.
     */
    Change toChange(RunBook book, String service) {
        List<RunRecord> toWrite = List.copyOf(records.values());
        Map<String, Long> expected = Map.copyOf(expectedRevisions);
        Map<String, Instant> tickCopy = Map.copyOf(ticks);
        String head = processedHead;
        return new Change(message(), Actor.service(service), workspace -> {
            for (RunRecord record : toWrite) {
                long stored = book.storedRevision(workspace, record.id());
                if (stored != expected.get(record.id())) {
                    throw new ChangeRejectedException("run " + record.id() + " is at revision " + stored
                            + " on the branch, not " + expected.get(record.id())
                            + " as this dispatcher believed: another writer changed it");
                }
                book.stage(workspace, record);
            }
            tickCopy.forEach((agent, tick) -> book.stageTick(workspace, agent, tick));
            if (head != null) {
                book.stageProcessedHead(workspace, head);
            }
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
        if (processedHead != null) {
            counts.put("changes.seen", 1);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((event, n) -> parts.add(n == 1 ? event : event + " ×" + n));
        return String.join(", ", parts);
    }
}
