package dev.monkeytown.state.engine;

import java.time.Instant;

/**
 * The backend shows the branch in a state that only a loss of data explains: gone, moved back to an older commit, or
 * rewritten. While an alarm stands the view keeps serving the last state it saw, refuses to write (a write would
 * recreate or overwrite what was lost) and readiness says why; it clears by itself once the backend shows the known
 * head or a descendant again (the branch was restored).
 *
 * @param seenHead the head this view had when the backend stopped agreeing
 * @param shownHead what the backend shows instead (null: no branch)
 */
public record BranchAlarm(Kind kind, String seenHead, String shownHead, Instant since) {

    public enum Kind {
        /** The branch is missing (404/409) after this view had seen it. */
        VANISHED,
        /** The branch keeps pointing at an ancestor of the head this view had seen: reset or force-pushed back. */
        WENT_BACKWARDS,
        /** The branch points at a commit that is neither an ancestor nor a descendant: history was rewritten. */
        DIVERGED
    }

    public String describe() {
        return switch (kind) {
            case VANISHED -> "branch vanished: it was at " + seenHead + " and is now missing (since " + since + ")";
            case WENT_BACKWARDS -> "branch went backwards: it was at " + seenHead + " and now points at the older "
                    + shownHead + " (since " + since + ")";
            case DIVERGED -> "branch history rewritten: it was at " + seenHead + " and now points at " + shownHead
                    + ", which does not descend from it (since " + since + ")";
        };
    }
}
