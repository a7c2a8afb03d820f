package dev.monkeytown.state.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.monkeytown.state.engine.BranchView.Snapshot;
import dev.monkeytown.state.spi.CommitMetadata;

/**
 * One try at committing a batch: the head the change functions saw, their verdicts, and the commit they add up to.
 * Kept after an ambiguous outcome, because if this very commit is later found on the branch, these verdicts are the
 * ones that landed.
 *
 * @param metadata null when the batch writes nothing
 */
record Attempt(Snapshot base, List<PendingChange> accepted, Map<PendingChange, Throwable> rejected,
        Map<String, byte[]> puts, Set<String> deletes, CommitMetadata metadata) {

    boolean writesNothing() {
        return puts.isEmpty() && deletes.isEmpty();
    }

    String batchId() {
        return metadata.batchId();
    }
}
