package dev.monkeytown.state.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * What a branch knows about its backend at this moment, gathered without I/O, so readiness can answer within its
 * timeout from the last known state while a refresh (or GitHub's back-off) takes longer.
 *
 * @param hasView whether the head was read at least once, so reads are served from memory
 * @param head the head of the view, null if none or no branch yet
 * @param documents documents in the view
 * @param alarm the backend shows a loss of data ({@link BranchAlarm}): refuse writes, tell the operator
 * @param lastAnswer when the backend last answered a request, null if never
 * @param lastFailure when a request last failed, null if never
 * @param lastFailureReason why it failed
 * @param impairment what the backend knows is wrong right now, e.g. GitHub unreachable or asking to back off
 * @param pendingChanges changes waiting for a commit
 * @param cachedBytes bytes of documents held in memory
 */
public record BranchHealth(boolean hasView, String head, int documents, Optional<BranchAlarm> alarm,
        Instant lastAnswer, Instant lastFailure, String lastFailureReason, Optional<String> impairment,
        int pendingChanges, long cachedBytes) {

    /** Whether the backend's last word was a failure (no answer since). */
    public boolean failingNow() {
        return lastFailure != null && (lastAnswer == null || lastFailure.isAfter(lastAnswer));
    }
}
