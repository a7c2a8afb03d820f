package dev.monkeytown.state.engine;

/**
 * Counters of one branch since it was opened, for the service's metrics.
 *
 * @param commits commits written
 * @param changesCommitted changes carried by those commits
 * @param changesUnchanged changes acknowledged without a commit because they left the state as it was
 * @param changesRejected changes whose function refused (or threw)
 * @param changesFailed changes given up on: conflict past the retry bound, backend unavailable or refusing
 * @param conflicts lost compare-and-swaps (each one re-applied the whole batch)
 * @param unavailableRetries attempts repeated because the backend failed in a retryable way
 * @param ambiguousCommits commits whose answer was lost, settled by their batch id before anything was re-run
 * @param largestBatch most changes in one commit
 */
public record StateBranchStats(
        long commits,
        long changesCommitted,
        long changesUnchanged,
        long changesRejected,
        long changesFailed,
        long conflicts,
        long unavailableRetries,
        long ambiguousCommits,
        int largestBatch) {

    public double meanBatchSize() {
        return commits == 0 ? 0 : (double) changesCommitted / commits;
    }
}
