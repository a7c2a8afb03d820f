package dev.monkeytown.build.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.monkeytown.runner.RunOutcome;

/** The one place a runner's report becomes a failure class. */
class AttemptResultTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void aNonZeroExitIsTheBuildsOwnFailure() {
        AttemptResult.Failed failed = assertInstanceOf(AttemptResult.Failed.class,
                AttemptResult.of(RunOutcome.Failed.exited(2, AT), false));
        assertEquals(FailureClass.BUILD, failed.failureClass());
        assertEquals(2, failed.exitCode());
    }

    @Test
    void aCommandThatNeverRanOrWhoseWorkWasNotStoredIsInfra() {
        assertEquals(FailureClass.INFRA, ((AttemptResult.Failed) AttemptResult.of(
                RunOutcome.Failed.neverRan("the local runner has no trace of this run", AT), false)).failureClass());
        AttemptResult.Failed exitedZero = (AttemptResult.Failed) AttemptResult.of(
                new RunOutcome.Failed(OptionalInt.of(0), "outputs could not be stored", AT), false);
        assertEquals(FailureClass.INFRA, exitedZero.failureClass());
        assertEquals(0, exitedZero.exitCode());
    }

    @Test
    void aCommandKilledByTheHostIsInfraNotTheBuildsVerdict() {
        // 128 + SIGKILL (the OOM killer, kill -9) and 128 + SIGTERM (a shutdown): the machinery stopped the command
        for (int exit : new int[]{137, 143}) {
            AttemptResult.Failed killed = (AttemptResult.Failed) AttemptResult.of(RunOutcome.Failed.exited(exit, AT),
                    false);
            assertEquals(FailureClass.INFRA, killed.failureClass(), "exit " + exit);
            assertEquals(exit, killed.exitCode());
        }
    }

    @Test
    void aTimeoutIsTimeout() {
        assertEquals(FailureClass.TIMEOUT,
                ((AttemptResult.Failed) AttemptResult.of(new RunOutcome.TimedOut(AT), false)).failureClass());
    }

    @Test
    void aCancelIsACancelOnlyWhenThisServiceAskedForIt() {
        assertInstanceOf(AttemptResult.Cancelled.class, AttemptResult.of(new RunOutcome.Cancelled(AT), true));
        assertEquals(FailureClass.INFRA,
                ((AttemptResult.Failed) AttemptResult.of(new RunOutcome.Cancelled(AT), false)).failureClass());
    }

    @Test
    void successIsSuccess() {
        assertInstanceOf(AttemptResult.Succeeded.class,
                AttemptResult.of(new RunOutcome.Succeeded(false, AT), false));
    }

    @Test
    void aWorkflowRunThatConcludedFailureIsTheBuildsOwnFailureAnyOtherConclusionIsInfra() {
        String actions = dev.monkeytown.runner.github.GitHubActionsRunner.KIND;
        AttemptResult.Failed failed = (AttemptResult.Failed) AttemptResult.of(actions,
                RunOutcome.Failed.neverRan("workflow run concluded failure", AT), false);
        assertEquals(FailureClass.BUILD, failed.failureClass());
        assertEquals(null, failed.exitCode());
        for (String conclusion : new String[]{"startup_failure", "stale", "action_required", "neutral"}) {
            assertEquals(FailureClass.INFRA, ((AttemptResult.Failed) AttemptResult.of(actions,
                    RunOutcome.Failed.neverRan("workflow run concluded " + conclusion, AT), false)).failureClass(),
                    conclusion);
        }
        // the same words from another runner are not a conclusion
        assertEquals(FailureClass.INFRA, ((AttemptResult.Failed) AttemptResult.of("local",
                RunOutcome.Failed.neverRan("workflow run concluded failure", AT), false)).failureClass());
        assertEquals(FailureClass.TIMEOUT, ((AttemptResult.Failed) AttemptResult.of(actions,
                new RunOutcome.TimedOut(AT), false)).failureClass());
        assertEquals(FailureClass.INFRA, ((AttemptResult.Failed) AttemptResult.of(actions,
                new RunOutcome.Cancelled(AT), false)).failureClass());
    }

    @Test
    void aWorkflowRunThatFailedBecauseItsRunnerWasLostIsInfra() {
        String actions = dev.monkeytown.runner.github.GitHubActionsRunner.KIND;
        RunOutcome.Failed failure = RunOutcome.Failed.neverRan("workflow run concluded failure", AT);
        AttemptResult.Failed lost = (AttemptResult.Failed) AttemptResult.of(actions, failure, false,
                java.util.Optional.of("job build failed with no failed step: its runner was lost"));
        assertEquals(FailureClass.INFRA, lost.failureClass());
        assertEquals("workflow run concluded failure, but job build failed with no failed step: its runner was lost",
                lost.reason());
        assertEquals(FailureClass.BUILD, ((AttemptResult.Failed) AttemptResult.of(actions, failure, false,
                java.util.Optional.empty())).failureClass(), "no evidence: the run's own verdict");
        // evidence about a lost runner says nothing about other conclusions
        assertEquals(FailureClass.INFRA, ((AttemptResult.Failed) AttemptResult.of("local",
                RunOutcome.Failed.exited(137, AT), false, java.util.Optional.of("lost"))).failureClass());
        assertEquals(FailureClass.BUILD, ((AttemptResult.Failed) AttemptResult.of("local",
                RunOutcome.Failed.exited(1, AT), false, java.util.Optional.of("lost"))).failureClass());
    }
}
