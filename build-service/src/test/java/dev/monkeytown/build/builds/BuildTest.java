package dev.monkeytown.build.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.monkeytown.runner.RunnerRef;

class BuildTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final Build queued = Build.queued("01JB0000000000000000000000", "app", "main", "abc", "tree1",
            BuildTrigger.PUSH, "push", T0, null);

    @Test
    void attemptsAreAppendedNumberedAndClosedWithTheirClass() {
        Build first = queued.dispatched(T0).started(T0.plusSeconds(1), RunnerRef.of("local"));
        Build retrying = first.failed(new AttemptResult.Failed(FailureClass.INFRA, null, "runner lost",
                T0.plusSeconds(5)), Optional.of(Duration.ofSeconds(30)));
        assertEquals(BuildState.RETRYING, retrying.state());
        assertEquals(T0.plusSeconds(35), retrying.retryAt());
        assertTrue(retrying.currentAttempt().isEmpty());

        Build second = retrying.dispatched(T0.plusSeconds(40));
        assertEquals(2, second.attempts().size());
        assertEquals(second.id() + "-2", second.currentRunId().orElseThrow(), "a retry is a new run at the runner");
        assertEquals(retrying.attempts().get(0), second.attempts().get(0), "earlier attempts never change");

        Build done = second.started(T0.plusSeconds(41), null).succeeded(new AttemptResult.Succeeded(
                T0.plusSeconds(50)), List.of(new BuildOutput("dist/a", "sha256:00", 1)), null);
        assertEquals(BuildState.SUCCEEDED, done.state());
        assertEquals("infra", done.attempts().get(0).failureClass().jsonName());
        assertEquals("succeeded", done.attempts().get(1).result());
    }

    @Test
    void aFinalTimeoutEndsTimedOut() {
        Build ended = queued.dispatched(T0).failed(new AttemptResult.Failed(FailureClass.TIMEOUT, null, "timed out",
                T0.plusSeconds(60)), Optional.empty());
        assertEquals(BuildState.TIMED_OUT, ended.state());
        assertEquals("timed_out", ended.attempts().get(0).result());
    }

    @Test
    void refusesStepsTheStateDoesNotAllow() {
        assertThrows(IllegalStateException.class, () -> queued.started(T0, null));
        Build cancelled = queued.cancelled(T0, "alice");
        assertThrows(IllegalStateException.class, () -> cancelled.dispatched(T0));
        assertThrows(IllegalStateException.class, () -> cancelled.cancelled(T0, "bob"));
    }

    @Test
    void cancellingARunningBuildClosesItsAttempt() {
        Build cancelled = queued.dispatched(T0).cancelled(T0.plusSeconds(3), "alice");
        assertEquals("cancelled", cancelled.attempts().get(0).result());
        assertEquals("alice", cancelled.cancelledBy());
    }
}
