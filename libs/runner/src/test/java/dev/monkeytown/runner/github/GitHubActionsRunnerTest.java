package dev.monkeytown.runner.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.RateLimitFault;
import dev.monkeytown.github.testdouble.WebhookExamples;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.runner.MutableClock;
import dev.monkeytown.runner.RecordingListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;
import dev.monkeytown.runner.TestRunIds;

/**
 * The runner against the GitHub double: real HTTP, requests checked against GitHub's OpenAPI description, and GitHub's
 * bad days (a listing that trails a dispatch, answers lost after the write landed, writes dropped, outages, limits).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitHubActionsRunnerTest {

    private static final AtomicInteger REPOSITORIES = new AtomicInteger();
    private static final Duration APPEAR_WITHIN = Duration.ofMinutes(5);

    private final GitHubDouble github = GitHubDouble.start();
    /** The runner's clock: moved by hand to cross the appearance window, never waited for. */
    private MutableClock clock;
    private HostedRepository repo;
    private GitHubActionsRunner runner;
    private RecordingListener listener;

    @BeforeEach
    void freshRepository() {
        // one double for the class, one repository and one clock per test: state never leaks between tests
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        repo = github.repository("acme", "town-" + REPOSITORIES.incrementAndGet());
        repo.commitFiles("main", Map.of(
                ".github/workflows/agent-docs.yml", Workflows.dispatchable("docs"),
                ".github/workflows/agent-other.yml", Workflows.dispatchable("other"),
                ".github/workflows/agent-plain.yml", Workflows.untitled("plain"),
                ".github/workflows/ci.yml", Workflows.pushOnly("ci")), "declare workflows");
        runner = runner(Duration.ofSeconds(5));
        listener = new RecordingListener();
        runner.listen(listener);
    }

    @AfterEach
    void closeRunner() {
        runner.close();
    }

    @AfterAll
    void noRequestGitHubWouldRefuse() {
        github.closeRequiringValidRequests();
    }

    @Test
    void dispatchCreatesAWorkflowRunTitledWithTheRunId() throws Exception {
        RunSpec spec = spec("docs");

        RunnerRef ref = runner.start(spec);

        WorkflowRun created = onlyRun();
        assertEquals("github-actions", ref.kind());
        assertEquals(Optional.of(String.valueOf(created.id())), ref.externalId());
        assertEquals(Optional.of("https://github.com/" + repo.fullName() + "/actions/runs/" + created.id()), ref.url());
        assertEquals("agent docs " + spec.id(), created.displayTitle());
        assertEquals("queued", created.status());
        assertEquals(".github/workflows/agent-docs.yml", created.path());
        assertEquals("main", created.headBranch());
    }

    @Test
    void webhooksReportStartAndSuccess() throws Exception {
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);
        long id = onlyRun().id();

        runner.onWorkflowRun(repo.actions().webhook(id)); // requested, still queued: nothing to report
        assertTrue(listener.reports().isEmpty());

        runner.onWorkflowRun(repo.actions().markInProgress(id));
        var started = assertInstanceOf(RecordingListener.Started.class, listener.last());
        assertEquals(spec.id(), started.runId());
        assertEquals(ref.externalId(), started.ref().externalId());
        assertEquals(repo.actions().run(id).orElseThrow().runStartedAt(), started.at());

        runner.onWorkflowRun(repo.actions().complete(id, "success"));
        var finished = assertInstanceOf(RecordingListener.Finished.class, listener.last());
        assertEquals(spec.id(), finished.runId());
        assertEquals(new RunOutcome.Succeeded(false, repo.actions().run(id).orElseThrow().updatedAt()),
                finished.outcome());
    }

    @Test
    void conclusionsMapToOutcomes() throws Exception {
        assertEquals("workflow run concluded failure", ((RunOutcome.Failed) concludedAs("failure")).reason());
        assertEquals(OptionalInt.empty(), ((RunOutcome.Failed) concludedAs("startup_failure")).exitCode());
        assertInstanceOf(RunOutcome.Cancelled.class, concludedAs("cancelled"));
        assertInstanceOf(RunOutcome.TimedOut.class, concludedAs("timed_out"));
        assertEquals("workflow run concluded action_required",
                ((RunOutcome.Failed) concludedAs("action_required")).reason());
    }

    @Test
    void webhooksOfOtherRunsAreIgnored() throws Exception {
        assertFalse(runner.onWorkflowRun(WebhookExamples.load("workflow_run.completed"))); // another repository
        ObjectNode notOurs = WebhookExamples.load("workflow_run.requested");
        notOurs.with("repository").put("full_name", repo.fullName());
        notOurs.with("workflow_run").put("status", "in_progress");
        assertFalse(runner.onWorkflowRun(notOurs)); // our repository, but no run of ours

        assertTrue(listener.reports().isEmpty());
    }

    @Test
    void aWorkflowRunWithoutARepositoryIsIgnoredThoughItIsOneOfOurs() throws Exception {
        runner.start(spec("docs"));
        long id = onlyRun().id();
        ObjectNode anonymous = repo.actions().markInProgress(id);
        anonymous.remove("repository");
        assertFalse(runner.onWorkflowRun(anonymous), "a payload that names no repository is nobody's");
        assertTrue(listener.reports().isEmpty());
    }

    @Test
    void aWorkflowRunOfAnotherEventIsIgnoredThoughItsTitleNamesALiveRun() throws Exception {
        RunSpec spec = spec("docs");
        runner.start(spec);
        WorkflowRun ci = repo.actions().trigger("pull_request", "ci.yml", "Retry " + spec.id(), "main");
        WorkflowRun pushed = repo.actions().trigger("push", "agent-docs.yml", "agent docs " + spec.id(), "main");

        runner.onWorkflowRun(repo.actions().complete(ci.id(), "failure"));
        runner.onWorkflowRun(repo.actions().complete(pushed.id(), "failure"));

        assertTrue(listener.reports().isEmpty(), "a run that was not our dispatch ended the run: " + listener.reports());
    }

    @Test
    void aDispatchOfAnotherWorkflowTitledWithTheRunIdIsIgnored() throws Exception {
        RunSpec spec = spec("docs");
        runner.start(spec);
        runner(Duration.ofSeconds(5)).start(spec("other", spec.id())); // someone dispatches another workflow so

        WorkflowRun other = repo.actions().runs().stream().filter(r -> r.path().endsWith("agent-other.yml"))
                .findFirst().orElseThrow();
        runner.onWorkflowRun(repo.actions().complete(other.id(), "failure"));

        assertTrue(listener.reports().isEmpty(), "another workflow ended the run: " + listener.reports());
    }

    @Test
    void onceItsWorkflowRunIsKnownNoOtherRunOfTheSameWorkflowCounts() throws Exception {
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);
        runner(Duration.ofSeconds(5)).start(spec); // a second dispatch of the same run, by hand or by a bug
        WorkflowRun second = repo.actions().runs().get(0);
        assertFalse(ref.externalId().orElseThrow().equals(String.valueOf(second.id())));

        runner.onWorkflowRun(repo.actions().complete(second.id(), "failure"));

        assertTrue(listener.reports().isEmpty(), "a workflow run other than the recorded one ended the run");
    }

    @Test
    void afterARestartAWebhookCountsOnceTheRunWasInspected() throws Exception {
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);
        long id = onlyRun().id();
        GitHubActionsRunner restarted = runner(Duration.ofSeconds(5));
        RecordingListener heard = new RecordingListener();
        restarted.listen(heard);
        try {
            assertFalse(restarted.onWorkflowRun(repo.actions().markInProgress(id)), "not known yet: reconciled later");

            assertInstanceOf(RunnerTruth.Running.class, restarted.inspect(lookup(spec, Optional.of(ref))));
            assertTrue(restarted.onWorkflowRun(repo.actions().complete(id, "success")));

            assertEquals(spec.id(), assertInstanceOf(RecordingListener.Finished.class, heard.last()).runId());
        } finally {
            restarted.close();
        }
    }

    @Test
    void runStartedHereIsRecognisedEvenWithoutTheIdInItsTitle() throws Exception {
        RunSpec spec = spec("plain");
        runner.start(spec);
        long id = onlyRun().id();

        runner.onWorkflowRun(repo.actions().complete(id, "success"));

        assertEquals(spec.id(), assertInstanceOf(RecordingListener.Finished.class, listener.last()).runId());
    }

    @Test
    void inspectFollowsTheRunAndAnUnchangedRunCostsA304() throws Exception {
        RunSpec spec = spec("docs");
        Optional<RunnerRef> ref = Optional.of(runner.start(spec));
        long id = onlyRun().id();
        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(lookup(spec, ref)));

        repo.actions().markInProgress(id);
        var running = assertInstanceOf(RunnerTruth.Running.class, runner.inspect(lookup(spec, ref)));
        assertEquals(repo.actions().run(id).orElseThrow().runStartedAt(), running.startedAt());

        Costs before = github.ledger().costs();
        assertInstanceOf(RunnerTruth.Running.class, runner.inspect(lookup(spec, ref)));
        assertEquals(new Costs(1, 0, 1, 0, 0), github.ledger().costs().minus(before));

        repo.actions().complete(id, "failure");
        var finished = assertInstanceOf(RunnerTruth.Finished.class, runner.inspect(lookup(spec, ref)));
        assertInstanceOf(RunOutcome.Failed.class, finished.outcome());
        assertEquals(ref.get().externalId(), finished.ref().externalId());
    }

    @Test
    void aRunGitHubDoesNotKnowIsUnknownOnceItCouldHaveAppeared() throws Exception {
        RunSpec neverStarted = spec("docs");
        RunLookup byAnId = lookup(neverStarted, Optional.of(RunnerRef.of("github-actions").withExternalId("424242")));
        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(byAnId), "a 404 may be a replica that lags");
        clock.advance(APPEAR_WITHIN.dividedBy(2));
        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(byAnId), "still within the grace");
        clock.advance(APPEAR_WITHIN.dividedBy(2).plusSeconds(1));
        assertInstanceOf(RunnerTruth.Unknown.class, runner.inspect(byAnId), "an id GitHub still does not know");

        RunLookup withoutAnswer = lookup(neverStarted, Optional.empty());
        assertInstanceOf(RunnerTruth.Unconfirmed.class, runner.inspect(withoutAnswer), "it may still appear");

        clock.advance(APPEAR_WITHIN.plusSeconds(1));

        assertInstanceOf(RunnerTruth.Unknown.class, runner.inspect(withoutAnswer));
    }

    @Test
    void aKnownWorkflowRunThatReadsNotFoundIsPendingUntilTheGraceHasPassedNotUnknown() throws Exception {
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);
        long id = onlyRun().id();
        RunLookup known = RunLookup.of(spec, clock.instant(), Optional.of(ref));
        clock.advance(Duration.ofHours(1)); // long after its dispatch: the appearance window is over
        String runPath = "/repos/" + repo.fullName() + "/actions/runs/" + id;

        // GitHub's replicas answer 404 for a run a moment (or a while): the run is not gone, and a caller told Unknown
        // may dispatch it again
        github.answerNextReadsNotFound(runPath, 2);
        assertEquals(new RunnerTruth.Pending(ref), runner.inspect(known), "a 404 on a known run taken for no run");
        clock.advance(APPEAR_WITHIN.minusSeconds(1));
        assertEquals(new RunnerTruth.Pending(ref), runner.inspect(known), "still within the grace");

        repo.actions().markInProgress(id);
        assertInstanceOf(RunnerTruth.Running.class, runner.inspect(known), "read again: it was there all along");

        // one that stays not found, read after read, once the grace has passed (deleted, or the repository's runs
        // purged) is unknown; the grace counts from the first 404 after it was last seen
        github.answerNextReadsNotFound(runPath, 10);
        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(known));
        clock.advance(APPEAR_WITHIN.dividedBy(2));
        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(known));
        clock.advance(APPEAR_WITHIN.dividedBy(2).plusSeconds(1));
        assertInstanceOf(RunnerTruth.Unknown.class, runner.inspect(known));
    }

    @Test
    void twoLaggingReadsFarApartAreNotTakenForARunThatIsGone() throws Exception {
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);
        long id = onlyRun().id();
        RunLookup known = RunLookup.of(spec, clock.instant(), Optional.of(ref));
        clock.advance(Duration.ofHours(1));
        String runPath = "/repos/" + repo.fullName() + "/actions/runs/" + id;

        // one lagging read, then nobody asks for a long while (the caller's gate was closed by a rate limit), then
        // another lagging read: nothing showed the run missing in between, so the grace starts again
        github.answerNextReadsNotFound(runPath, 10);
        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(known));
        clock.advance(APPEAR_WITHIN.multipliedBy(3));
        assertEquals(new RunnerTruth.Pending(ref), runner.inspect(known), "a stale first 404 ended the grace at once");
    }

    @Test
    void anAcceptedDispatchGitHubDoesNotListYetIsPendingNotUnknown() throws Exception {
        repo.actions().omitRunDetails(true); // GitHub before 2025, or an older GitHub Enterprise Server
        repo.actions().lagListing(Duration.ofHours(1));
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);
        assertEquals(Optional.empty(), ref.externalId());

        assertEquals(new RunnerTruth.Pending(ref), runner.inspect(lookup(spec, Optional.of(ref))),
                "an accepted run taken for one that never started");

        repo.actions().lagListing(Duration.ZERO);
        long id = onlyRun().id();
        var pending = assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(lookup(spec, Optional.of(ref))));
        assertEquals(Optional.of(String.valueOf(id)), pending.ref().externalId());
    }

    @Test
    void anAcceptedDispatchThatNeverAppearsIsUnknownAfterTheWindow() throws Exception {
        repo.actions().omitRunDetails(true);
        repo.actions().lagListing(Duration.ofHours(1));
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);

        clock.advance(APPEAR_WITHIN.plusSeconds(1));

        assertInstanceOf(RunnerTruth.Unknown.class, runner.inspect(lookup(spec, Optional.of(ref))));
    }

    @Test
    void aDispatchWhoseAnswerWasLostIsNotDispatchedAgainWhileTheListingLags() throws Exception {
        repo.actions().lagListing(Duration.ofHours(1));
        RunSpec spec = spec("docs");
        github.applyNextWritesUnanswered(1, Duration.ZERO);
        assertThrows(RunnerUnavailableException.class, () -> runner.start(spec));

        RunnerTruth truth = startAgainIfUnknown(spec);

        assertEquals(new RunnerTruth.Unconfirmed(clock.instant().plus(APPEAR_WITHIN)), truth);
        repo.actions().lagListing(Duration.ZERO);
        assertEquals(1, repo.actions().runs().size(), "dispatched twice: " + repo.actions().runs());
        var found = assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(lookup(spec, Optional.empty())));
        assertEquals(Optional.of(String.valueOf(onlyRun().id())), found.ref().externalId());
    }

    @Test
    void aDispatchThatWasDroppedIsDispatchedAgainOnceItCouldHaveAppeared() throws Exception {
        RunSpec spec = spec("docs");
        github.dropNextWrites(1, Duration.ZERO);
        assertThrows(RunnerUnavailableException.class, () -> runner.start(spec));
        assertInstanceOf(RunnerTruth.Unconfirmed.class, startAgainIfUnknown(spec));
        assertTrue(repo.actions().runs().isEmpty());

        clock.advance(APPEAR_WITHIN.plusSeconds(1));

        assertInstanceOf(RunnerTruth.Unknown.class, startAgainIfUnknown(spec));
        assertEquals(1, repo.actions().runs().size(), "the run must not be lost either");
    }

    @Test
    void afterARestartARunWithoutAnAnswerWaitsOutTheWindowBeforeItIsDispatchedAgain() throws Exception {
        RunSpec spec = spec("docs");
        Instant requestedLongAgo = clock.instant().minus(Duration.ofHours(1));
        repo.actions().lagListing(Duration.ofHours(1));
        github.applyNextWritesUnanswered(1, Duration.ZERO);
        assertThrows(RunnerUnavailableException.class, () -> runner.start(spec)); // then the service was killed

        GitHubActionsRunner restarted = runner(Duration.ofSeconds(5));
        try {
            RunnerTruth truth = restarted.inspect(new RunLookup(spec.id(), Optional.of("agent-docs.yml"),
                    requestedLongAgo, Optional.empty()));

            assertInstanceOf(RunnerTruth.Unconfirmed.class, truth, "the runner before may have dispatched it just now");
        } finally {
            restarted.close();
        }
    }

    @Test
    void cancelStopsTheRunAndACompletedRunIsNoError() throws Exception {
        RunSpec spec = spec("docs");
        Optional<RunnerRef> ref = Optional.of(runner.start(spec));
        long id = onlyRun().id();

        runner.cancel(lookup(spec, ref));
        WorkflowRun cancelled = repo.actions().run(id).orElseThrow();
        assertEquals("completed", cancelled.status());
        assertEquals(Optional.of("cancelled"), cancelled.conclusion());
        assertEquals(0, runner.unconfirmedCancels());

        runner.cancel(lookup(spec, ref)); // completed already: confirmed by reading it
        Costs before = github.ledger().costs();
        runner.cancel(lookup(spec("docs"), Optional.empty())); // never started: nothing to cancel
        assertEquals(0, github.ledger().costs().minus(before).writes());
    }

    @Test
    void aCancelWhoseWriteWasDroppedIsRetriedUntilGitHubConfirmsIt() throws Exception {
        RunSpec spec = spec("docs");
        Optional<RunnerRef> ref = Optional.of(runner.start(spec));
        long id = onlyRun().id();
        github.dropNextWrites(1, Duration.ZERO);

        runner.cancel(lookup(spec, ref));

        assertFalse(repo.actions().run(id).orElseThrow().completed(), "the double dropped the cancel");
        assertEquals(1, runner.unconfirmedCancels());
        runner.retryCancels();
        assertEquals(Optional.of("cancelled"), repo.actions().run(id).orElseThrow().conclusion());
        assertEquals(0, runner.unconfirmedCancels());
    }

    @Test
    void aCancelWhoseAnswerWasLostIsConfirmedByReadingTheRun() throws Exception {
        RunSpec spec = spec("docs");
        Optional<RunnerRef> ref = Optional.of(runner.start(spec));
        long id = onlyRun().id();
        github.applyNextWritesUnanswered(1, Duration.ZERO);

        runner.cancel(lookup(spec, ref));
        assertEquals(Optional.of("cancelled"), repo.actions().run(id).orElseThrow().conclusion());
        Costs before = github.ledger().costs();
        runner.retryCancels();

        assertEquals(0, runner.unconfirmedCancels());
        assertEquals(0, github.ledger().costs().minus(before).writes(), "confirmed by a read, not cancelled again");
    }

    @Test
    void aRunCancelledBeforeItWasListedIsCancelledWhenItAppears() throws Exception {
        repo.actions().omitRunDetails(true);
        repo.actions().lagListing(Duration.ofHours(1));
        RunSpec spec = spec("docs");
        RunnerRef ref = runner.start(spec);
        runner.cancel(lookup(spec, Optional.of(ref)));
        assertEquals(1, runner.unconfirmedCancels(), "nothing listed to cancel yet, and it may still appear");

        repo.actions().lagListing(Duration.ZERO);
        runner.retryCancels();

        assertEquals(Optional.of("cancelled"), onlyRun().conclusion());
        assertEquals(0, runner.unconfirmedCancels());
    }

    @Test
    void aRunThatCanNeverStartIsRejectedWithAnActionableMessage() {
        var missing = assertThrows(RunRejectedException.class, () -> runner.start(spec("ghost")));
        assertEquals("workflow agent-ghost.yml not found on main in " + repo.fullName(), missing.getMessage());

        var notDispatchable = assertThrows(RunRejectedException.class, () -> runner.start(RunSpec.builder(
                TestRunIds.next(), "main", Duration.ofMinutes(30))
                .workflow(new RunSpec.WorkflowCall("ci.yml", "run_id", Map.of())).build()));
        assertTrue(notDispatchable.getMessage().startsWith("workflow ci.yml on main does not accept"
                + " workflow_dispatch"), notDispatchable.getMessage());

        RunSpec localOnly = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(30))
                .command(List.of("./run.sh")).build();
        assertThrows(RunRejectedException.class, () -> runner.start(localOnly));

        RunSpec withSecrets = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(30))
                .workflow(new RunSpec.WorkflowCall("agent-docs.yml", "run_id", Map.of()))
                .secrets(Map.of("DEPLOY_KEY", "value-1234")).build();
        var secrets = assertThrows(RunRejectedException.class, () -> runner.start(withSecrets));
        assertTrue(secrets.getMessage().contains("secrets"), secrets.getMessage());
        assertTrue(repo.actions().runs().isEmpty());
    }

    @Test
    void unreachableGitHubMakesTheRunnerUnavailable() {
        GitHubActionsRunner impatient = runner(Duration.ofMillis(300));
        RunSpec spec = spec("docs");
        github.takeDown();
        try {
            assertThrows(RunnerUnavailableException.class, () -> impatient.start(spec));
            clock.advance(APPEAR_WITHIN.plusSeconds(1));
            assertThrows(RunnerUnavailableException.class, () -> impatient.inspect(lookup(spec, Optional.empty())));
        } finally {
            github.bringBack();
            impatient.close();
        }
        assertTrue(repo.actions().runs().isEmpty());
    }

    @Test
    void rateLimitedGitHubMakesTheRunnerUnavailable() {
        GitHubActionsRunner impatient = runner(Duration.ofMillis(300));
        try {
            // GitHub's rate-limit refusals pass: a 429, a secondary-limit 403, an exhausted primary quota (403 with
            // x-ratelimit-remaining: 0)
            for (RateLimitFault fault : List.of(RateLimitFault.SECONDARY_429, RateLimitFault.SECONDARY_403,
                    RateLimitFault.PRIMARY_EXHAUSTED)) {
                github.limit(fault, Duration.ofSeconds(3));
                assertThrows(RunnerUnavailableException.class, () -> impatient.start(spec("docs")), fault.name());
                github.limit(fault, Duration.ZERO);
            }
        } finally {
            impatient.close();
        }
        assertTrue(repo.actions().runs().isEmpty());
    }

    @Test
    void aDispatchGitHubRefusesForWantOfPermissionIsRejectedNotUnavailable() {
        // a token without actions: write; asking again gets the same 403 until someone changes the token
        github.refuseNextWritesForPermission(1, ".*/actions/workflows/agent-docs\\.yml/dispatches", "actions=write");
        RunSpec spec = spec("docs");

        var refused = assertThrows(RunRejectedException.class, () -> runner.start(spec));

        assertTrue(refused.getMessage().contains("HTTP 403") && refused.getMessage().contains(
                "Resource not accessible by integration"), refused.getMessage());
        assertTrue(refused.getMessage().contains("actions=write"), "says which permission the token lacks: "
                + refused.getMessage());
        assertTrue(repo.actions().runs().isEmpty());
    }

    @Test
    void aDispatchRefusedWithoutProofOfAMissingPermissionIsUnavailableNotRejected() {
        // SAML enforcement, an IP allow list, an edge proxy: a 403 that ends without any change to the token's
        // permissions; rejecting the run would fail every queued run while the runner looks healthy
        github.refuseNextWritesForSso(1, ".*/actions/workflows/agent-docs\\.yml/dispatches");
        RunSpec spec = spec("docs");

        var unavailable = assertThrows(RunnerUnavailableException.class, () -> runner.start(spec));

        assertTrue(unavailable.getMessage().contains("SAML"), unavailable.getMessage());
        assertTrue(repo.actions().runs().isEmpty());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** The caller's protocol after a start that was not answered: start again only if the runner has no trace. */
    private RunnerTruth startAgainIfUnknown(RunSpec spec) throws Exception {
        RunnerTruth truth = runner.inspect(lookup(spec, Optional.empty()));
        if (truth instanceof RunnerTruth.Unknown) {
            runner.start(spec);
        }
        return truth;
    }

    private RunOutcome concludedAs(String conclusion) throws Exception {
        RunSpec spec = spec("docs");
        runner.start(spec);
        long id = repo.actions().runs().get(0).id();
        runner.onWorkflowRun(repo.actions().complete(id, conclusion));
        var finished = assertInstanceOf(RecordingListener.Finished.class, listener.last());
        assertEquals(spec.id(), finished.runId());
        return finished.outcome();
    }

    @Test
    void aRetryReRunsTheFailedJobsOfTheSameWorkflowRunAndFollowsThatAttemptOnly() throws Exception {
        RunSpec first = spec("docs");
        RunnerRef firstRef = runner.start(first);
        long id = onlyRun().id();
        runner.onWorkflowRun(repo.actions().complete(id, "failure"));
        assertEquals(Optional.of(1), ((RecordingListener.Finished) listener.last()).ref().attempt());

        RunSpec second = RunSpec.builder(first.id().replaceAll("-?[0-9]*$", "") + "-2", "main",
                Duration.ofMinutes(30)).workflow(
                        new RunSpec.WorkflowCall("agent-docs.yml", "run_id", Map.of(),
                                Optional.of(new RunSpec.WorkflowCall.Rerun(firstRef.externalId().orElseThrow(), 2))))
                .build();
        RunnerRef secondRef = runner.start(second);

        WorkflowRun rerun = onlyRun(); // no second workflow run: the same one, at its attempt 2
        assertEquals(2, rerun.runAttempt());
        assertEquals("queued", rerun.status());
        assertEquals(Optional.of(String.valueOf(id)), secondRef.externalId());
        assertEquals(Optional.of(2), secondRef.attempt());
        // a start whose answer was lost is not re-run twice: attempt 2 exists, so it is taken as it is
        assertEquals(Optional.of(2), runner.start(second).attempt());
        assertEquals(2, onlyRun().runAttempt());

        // attempt 1's completion delivered late is not this run's
        int before = listener.reports().size();
        ObjectNode late = repo.actions().webhook(id);
        ((ObjectNode) late.get("workflow_run")).put("run_attempt", 1).put("status", "completed").put("conclusion", "failure");
        late.put("action", "completed");
        runner.onWorkflowRun(late);
        assertEquals(before, listener.reports().size());

        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(lookup(second, Optional.of(secondRef))));
        runner.onWorkflowRun(repo.actions().markInProgress(id));
        var started = assertInstanceOf(RecordingListener.Started.class, listener.last());
        assertEquals(second.id(), started.runId());
        runner.onWorkflowRun(repo.actions().complete(id, "success"));
        var finished = assertInstanceOf(RecordingListener.Finished.class, listener.last());
        assertEquals(second.id(), finished.runId());
        assertInstanceOf(RunOutcome.Succeeded.class, finished.outcome());
        // inspected after a restart, from its record: that attempt of the run
        GitHubActionsRunner restarted = runner(Duration.ofSeconds(5));
        try {
            var truth = assertInstanceOf(RunnerTruth.Finished.class,
                    restarted.inspect(lookup(second, Optional.of(secondRef))));
            assertInstanceOf(RunOutcome.Succeeded.class, truth.outcome());
            assertEquals(Optional.of(2), truth.ref().attempt());
        } finally {
            restarted.close();
        }
    }

    @Test
    void aRunGitHubWillNotReRunIsDispatchedAnew() throws Exception {
        RunSpec first = spec("docs");
        RunnerRef firstRef = runner.start(first);
        long id = onlyRun().id();
        repo.actions().complete(id, "success"); // nothing failed: GitHub refuses to re-run it

        RunSpec second = RunSpec.builder(TestRunIds.next(), "main", Duration.ofMinutes(30))
                .workflow(new RunSpec.WorkflowCall("agent-docs.yml", "run_id", Map.of(),
                        Optional.of(new RunSpec.WorkflowCall.Rerun(firstRef.externalId().orElseThrow(), 2))))
                .build();
        RunnerRef ref = runner.start(second);

        assertEquals(2, repo.actions().runs().size());
        assertFalse(ref.externalId().equals(firstRef.externalId()));
        assertTrue(repo.actions().runs().get(0).displayTitle().contains(second.id()));
    }

    private WorkflowRun onlyRun() {
        List<WorkflowRun> runs = repo.actions().runs();
        assertEquals(1, runs.size(), "workflow runs: " + runs);
        assertFalse(runs.get(0).displayTitle().isEmpty());
        return runs.get(0);
    }

    private static RunSpec spec(String agent) {
        return spec(agent, TestRunIds.next());
    }

    private static RunSpec spec(String agent, String runId) {
        return RunSpec.builder(runId, "main", Duration.ofMinutes(30))
                .workflow(new RunSpec.WorkflowCall("agent-" + agent + ".yml", "run_id", Map.of())).build();
    }

    private RunLookup lookup(RunSpec spec, Optional<RunnerRef> ref) {
        return RunLookup.of(spec, clock.instant(), ref);
    }

    private GitHubActionsRunner runner(Duration unavailableAfter) {
        GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login())
                .withPacing(WritePacing.unpaced()).withUnavailableAfter(unavailableAfter)
                .withRequestTimeout(Duration.ofSeconds(2));
        try {
            return new GitHubActionsRunner(GitHubAccess.connect("ghp_runner-test-token", options,
                    new SimpleMeterRegistry()),
                    new GitHubActionsRunner.Settings(repo.fullName(), APPEAR_WITHIN,
                            Duration.ofHours(1)),
                    clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
