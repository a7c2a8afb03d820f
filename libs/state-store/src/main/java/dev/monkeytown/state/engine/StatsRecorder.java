package dev.monkeytown.state.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Written by the committer thread, read by anyone. */
final class StatsRecorder {

    private final LongAdder commits = new LongAdder();
    private final LongAdder changesCommitted = new LongAdder();
    private final LongAdder changesUnchanged = new LongAdder();
    private final LongAdder changesRejected = new LongAdder();
    private final LongAdder changesFailed = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder unavailableRetries = new LongAdder();
    private final LongAdder ambiguous = new LongAdder();
    private final AtomicInteger largestBatch = new AtomicInteger();

    void committed(int changes) {
        commits.increment();
        changesCommitted.add(changes);
        largestBatch.accumulateAndGet(changes, Math::max);
    }

    void unchanged(int changes) {
        changesUnchanged.add(changes);
    }

    void rejected(int changes) {
        changesRejected.add(changes);
    }

    void failed(int changes) {
        changesFailed.add(changes);
    }

    void conflict() {
        conflicts.increment();
    }

    void unavailableRetry() {
        unavailableRetries.increment();
    }

    /** A commit whose answer was lost and had to be settled by its batch id. */
    void ambiguous() {
        ambiguous.increment();
    }

    StateBranchStats snapshot() {
        return new StateBranchStats(commits.sum(), changesCommitted.sum(), changesUnchanged.sum(),
                changesRejected.sum(), changesFailed.sum(), conflicts.sum(), unavailableRetries.sum(),
                ambiguous.sum(), largestBatch.get());
    }
}
