package dev.monkeytown.build.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The streak and hold rules, including random sequences of final outcomes and unholds checked against a model written
 * differently: from the whole history at once instead of step by step.
 */
class StreakTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final StreakKey KEY = new StreakKey("app", "main");

    private enum Op {
        SUCCESS, FAILURE, TIMEOUT, CANCEL, UNHOLD
    }

    @Test
    void threeFinalFailuresHoldAndASuccessClears() {
        Streak streak = Streak.clean(KEY);
        streak = streak.after(ended(BuildState.FAILED, 1), T0);
        assertEquals(Streak.Severity.WARNING, streak.severity());
        streak = streak.after(ended(BuildState.TIMED_OUT, 2), T0);
        assertFalse(streak.held());
        streak = streak.after(ended(BuildState.FAILED, 3), T0.plusSeconds(3));
        assertTrue(streak.held());
        assertEquals(Streak.Severity.CRITICAL, streak.severity());
        assertEquals(T0.plusSeconds(3), streak.heldSince());
        streak = streak.after(ended(BuildState.SUCCEEDED, 4), T0);
        assertFalse(streak.held());
        assertEquals(0, streak.failures());
    }

    @Test
    void anUnholdIsRecordedAndTheNextFailureHoldsAgain() {
        Streak held = Streak.clean(KEY);
        for (int i = 0; i < 3; i++) {
            held = held.after(ended(BuildState.FAILED, i), T0);
        }
        Streak unheld = held.unheld("alice", "flaky disk replaced", T0.plusSeconds(10));
        assertFalse(unheld.held());
        assertEquals(new Streak.Unhold("alice", "flaky disk replaced", T0.plusSeconds(10), 3), unheld.unholds().get(0));
        assertTrue(unheld.after(ended(BuildState.FAILED, 9), T0).held());
        assertThrows(IllegalStateException.class, () -> unheld.unheld("bob", "again", T0));
    }

    @Test
    void aCancelChangesNothing() {
        Streak two = Streak.clean(KEY).after(ended(BuildState.FAILED, 1), T0).after(ended(BuildState.FAILED, 2), T0);
        assertEquals(two, two.after(ended(BuildState.CANCELLED, 3), T0));
    }

    @Test
    void randomSequencesMatchTheModel() {
        Random random = new Random(20261127L);
        for (int round = 0; round < 2000; round++) {
            List<Op> history = new ArrayList<>();
            Streak streak = Streak.clean(KEY);
            int length = random.nextInt(25);
            for (int i = 0; i < length; i++) {
                Op op = Op.values()[random.nextInt(Op.values().length)];
                if (op == Op.UNHOLD && !streak.held()) {
                    assertThrows(IllegalStateException.class, () -> Streak.clean(KEY).unheld("x", "y", T0));
                    continue; // an unhold of a pipeline that is not held is refused, not recorded
                }
                history.add(op);
                streak = switch (op) {
                    case SUCCESS -> streak.after(ended(BuildState.SUCCEEDED, i), T0);
                    case FAILURE -> streak.after(ended(BuildState.FAILED, i), T0);
                    case TIMEOUT -> streak.after(ended(BuildState.TIMED_OUT, i), T0);
                    case CANCEL -> streak.after(ended(BuildState.CANCELLED, i), T0);
                    case UNHOLD -> streak.unheld("op", "reason " + i, T0);
                };
                assertEquals(modelFailures(history), streak.failures(), "failures after " + history);
                assertEquals(modelHeld(history), streak.held(), "held after " + history);
                assertEquals(modelFailures(history) == 0
                        ? Streak.Severity.NONE
                        : modelFailures(history) < 3 ? Streak.Severity.WARNING : Streak.Severity.CRITICAL,
                        streak.severity());
            }
        }
    }

    /** Failures (failed or timed out) after the last success. */
    private static int modelFailures(List<Op> history) {
        int lastSuccess = history.lastIndexOf(Op.SUCCESS);
        return (int) history.subList(lastSuccess + 1, history.size()).stream()
                .filter(op -> op == Op.FAILURE || op == Op.TIMEOUT).count();
    }

    /** Held: at least three failures since the last success, and the latest of them came after the last unhold. */
    private static boolean modelHeld(List<Op> history) {
        int lastFailure = Math.max(history.lastIndexOf(Op.FAILURE), history.lastIndexOf(Op.TIMEOUT));
        return modelFailures(history) >= 3 && lastFailure > history.lastIndexOf(Op.UNHOLD);
    }

    private static Build ended(BuildState state, int n) {
        Build build = Build.queued("b" + n, "app", "main", "sha", "tree", BuildTrigger.MANUAL, "alice", T0, null)
                .dispatched(T0);
        return switch (state) {
            case SUCCEEDED -> build.succeeded(new AttemptResult.Succeeded(T0), List.of(), null);
            case FAILED -> build.failed(new AttemptResult.Failed(FailureClass.BUILD, 1, "exit 1", T0),
                    Optional.empty());
            case TIMED_OUT -> build.failed(new AttemptResult.Failed(FailureClass.TIMEOUT, null, "timed out", T0),
                    Optional.empty());
            case CANCELLED -> build.cancelled(T0, "alice");
            default -> throw new IllegalArgumentException(state.toString());
        };
    }
}
