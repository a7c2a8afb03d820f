package dev.monkeytown.dispatcher.runner.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.RunIds;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.dispatcher.runner.RunOutcome;
import dev.monkeytown.dispatcher.runner.RunRejectedException;
import dev.monkeytown.dispatcher.runner.RunnerRef;
import dev.monkeytown.dispatcher.runner.RunnerTruth;
import dev.monkeytown.dispatcher.runner.RunnerUnavailableException;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.RateLimitFault;
import dev.monkeytown.github.testdouble.WebhookExamples;
import dev.monkeytown.github.testdouble.WorkflowRun;

/** The runner against the GitHub double: real HTTP, requests checked against GitHub's OpenAPI description. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitHubActionsRunnerTest {

    private static final AtomicInteger REPOSITORIES = new AtomicInteger();

    private final GitHubDouble github = GitHubDouble.start();
    private final RunIds runIds = new RunIds();
    private HostedRepository repo;
    private GitHubActionsRunner runner;
    private RecordingListener listener;

    @BeforeEach
    void freshRepository() {
        // one double for the class, one repository per test: state never leaks between tests
        repo = github.repository("acme", "town-" + REPOSITORIES.incrementAndGet());
        repo.commitFiles("main", Map.of(
                ".github/workflows/agent-docs.yml", AgentWorkflows.agent("docs"),
                ".github/workflows/agent-plain.yml", AgentWorkflows.untitled("plain"),
                ".github/workflows/agent-pushy.yml", AgentWorkflows.pushOnly("pushy"),
                ".monkeytown/agents.yaml", "agents: {}\n"), "declare agents");
        runner = runner(Duration.ofSeconds(5));
        listener = new RecordingListener();
        runner.listen(listener);
    }

    @AfterAll
    void noRequestGitHubWouldRefuse() {
        github.closeRequiringValidRequests();
    }

    @Test
    void dispatchCreatesAWorkflowRunTitledWithTheRunId() throws Exception {
        AgentRun run = dispatched("docs");

        RunnerRef ref = runner.start(run, AgentDeclaration.ofWorkflow("docs"));

        WorkflowRun created = onlyRun();
        assertEquals("github-actions", ref.kind());
        assertEquals(Optional.of(String.valueOf(created.id())), ref.externalId());
        assertEquals(Optional.of("https://github.com/" + repo.fullName() + "/actions/runs/" + created.id()), ref.url());
        assertEquals("agent docs " + run.id(), created.displayTitle());
        assertEquals("queued", created.status());
        assertEquals(".github/workflows/agent-docs.yml", created.path());
        assertEquals("main", created.headBranch());
    }

    @Test
    void webhooksReportStartAndSuccess() throws Exception {
        AgentRun run = dispatched("docs");
        RunnerRef ref = runner.start(run, AgentDeclaration.ofWorkflow("docs"));
        long id = onlyRun().id();

        runner.onWorkflowRun(repo.actions().webhook(id)); // requested, still queued: nothing to report
        assertTrue(listener.reports.isEmpty());

        runner.onWorkflowRun(repo.actions().markInProgress(id));
        var started = assertInstanceOf(RecordingListener.Started.class, listener.last());
        assertEquals(run.id(), started.runId());
        assertEquals(ref.externalId(), started.ref().externalId());
        assertEquals(repo.actions().run(id).orElseThrow().runStartedAt(), started.at());

        runner.onWorkflowRun(repo.actions().complete(id, "success"));
        var finished = assertInstanceOf(RecordingListener.Finished.class, listener.last());
        assertEquals(run.id(), finished.runId());
        assertEquals(new RunOutcome.Succeeded(false, repo.actions().run(id).orElseThrow().updatedAt()),
                finished.outcome());
    }

    @Test
    void conclusionsMapToOutcomes() throws Exception {
        assertEquals(RunState.FAILED, concludedAs("failure").state());
        assertEquals("workflow run concluded failure", ((RunOutcome.Failed) concludedAs("failure")).reason());
        assertEquals(OptionalInt.empty(), ((RunOutcome.Failed) concludedAs("startup_failure")).exitCode());
        assertInstanceOf(RunOutcome.Cancelled.class, concludedAs("cancelled"));
        assertInstanceOf(RunOutcome.TimedOut.class, concludedAs("timed_out"));
        assertEquals("workflow run concluded action_required",
                ((RunOutcome.Failed) concludedAs("action_required")).reason());
    }

    @Test
    void webhooksOfOtherRunsAreIgnored() throws Exception {
        runner.onWorkflowRun(WebhookExamples.load("workflow_run.completed")); // another repository, no run id
        ObjectNode notOurs = WebhookExamples.load("workflow_run.requested");
        notOurs.with("repository").put("full_name", repo.fullName());
        notOurs.with("workflow_run").put("status", "in_progress");
        runner.onWorkflowRun(notOurs); // our repository, but a title without a run id

        assertTrue(listener.reports.isEmpty());
    }

    @Test
    void runStartedHereIsRecognisedEvenWithoutTheIdInItsTitle() throws Exception {
        AgentRun run = dispatched("plain");
        runner.start(run, AgentDeclaration.ofWorkflow("plain"));
        long id = onlyRun().id();

        runner.onWorkflowRun(repo.actions().complete(id, "success"));

        assertEquals(run.id(), assertInstanceOf(RecordingListener.Finished.class, listener.last()).runId());
    }

    @Test
    void inspectFollowsTheRunAndAnUnchangedRunCostsA304() throws Exception {
        AgentRun run = dispatched("docs");
        Optional<RunnerRef> ref = Optional.of(runner.start(run, AgentDeclaration.ofWorkflow("docs")));
        long id = onlyRun().id();
        assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(run, ref));

        repo.actions().markInProgress(id);
        var running = assertInstanceOf(RunnerTruth.Running.class, runner.inspect(run, ref));
        assertEquals(repo.actions().run(id).orElseThrow().runStartedAt(), running.startedAt());

        Costs before = github.ledger().costs();
        assertInstanceOf(RunnerTruth.Running.class, runner.inspect(run, ref));
        assertEquals(new Costs(1, 0, 1, 0, 0), github.ledger().costs().minus(before));

        repo.actions().complete(id, "failure");
        var finished = assertInstanceOf(RunnerTruth.Finished.class, runner.inspect(run, ref));
        assertEquals(RunState.FAILED, finished.outcome().state());
        assertEquals(ref.get().externalId(), finished.ref().externalId());
    }

    @Test
    void inspectOfARunGitHubDoesNotKnowIsUnknown() throws Exception {
        AgentRun neverStarted = dispatched("docs");

        assertInstanceOf(RunnerTruth.Unknown.class, runner.inspect(neverStarted, Optional.empty()));
        assertInstanceOf(RunnerTruth.Unknown.class,
                runner.inspect(neverStarted, Optional.of(RunnerRef.of("github-actions").withExternalId("424242"))));
        assertInstanceOf(RunnerTruth.Unknown.class, runner.inspect(dispatched("gone"), Optional.empty()));
    }

    @Test
    void dispatchAnsweredWithoutRunDetailsIsFoundByItsTitle() throws Exception {
        repo.actions().omitRunDetails(true); // GitHub before 2025, or an older GitHub Enterprise Server
        AgentRun run = dispatched("docs");
        dispatched("docs"); // another run of the same agent, never dispatched: must not be confused with it
        RunnerRef ref = runner.start(run, AgentDeclaration.ofWorkflow("docs"));
        assertEquals(Optional.empty(), ref.externalId());
        long id = onlyRun().id();

        var pending = assertInstanceOf(RunnerTruth.Pending.class, runner.inspect(run, Optional.of(ref)));
        assertEquals(Optional.of(String.valueOf(id)), pending.ref().externalId());

        runner.onWorkflowRun(repo.actions().markInProgress(id));
        var started = assertInstanceOf(RecordingListener.Started.class, listener.last());
        assertEquals(run.id(), started.runId());
        assertEquals(Optional.of(String.valueOf(id)), started.ref().externalId());

        runner.cancel(run, Optional.of(ref));
        assertEquals(Optional.of("cancelled"), repo.actions().run(id).orElseThrow().conclusion());
    }

    @Test
    void cancelStopsTheRunAndACompletedRunIsNoError() throws Exception {
        AgentRun run = dispatched("docs");
        Optional<RunnerRef> ref = Optional.of(runner.start(run, AgentDeclaration.ofWorkflow("docs")));
        long id = onlyRun().id();

        runner.cancel(run, ref);
        WorkflowRun cancelled = repo.actions().run(id).orElseThrow();
        assertEquals("completed", cancelled.status());
        assertEquals(Optional.of("cancelled"), cancelled.conclusion());

        runner.cancel(run, ref); // GitHub answers 409: already completed
        Costs before = github.ledger().costs();
        runner.cancel(dispatched("docs"), Optional.empty()); // never started: nothing to cancel
        assertEquals(0, github.ledger().costs().minus(before).writes());
    }

    @Test
    void aRunThatCanNeverStartIsRejectedWithAnActionableMessage() {
        var missing = assertThrows(RunRejectedException.class,
                () -> runner.start(dispatched("ghost"), AgentDeclaration.ofWorkflow("ghost")));
        assertEquals("workflow agent-ghost.yml not found on main in " + repo.fullName(), missing.getMessage());

        var notDispatchable = assertThrows(RunRejectedException.class,
                () -> runner.start(dispatched("pushy"), AgentDeclaration.ofWorkflow("pushy")));
        assertTrue(notDispatchable.getMessage().startsWith(
                "workflow agent-pushy.yml on main does not accept workflow_dispatch with input run_id"),
                notDispatchable.getMessage());

        AgentDeclaration localOnly = new AgentDeclaration("local", Optional.empty(), List.of(),
                AgentDeclaration.DEFAULT_TIMEOUT, Optional.of("./run.sh"), Optional.empty());
        var noWorkflow = assertThrows(RunRejectedException.class, () -> runner.start(dispatched("local"), localOnly));
        assertTrue(noWorkflow.getMessage().contains("agent-local.yml"), noWorkflow.getMessage());
        assertTrue(repo.actions().runs().isEmpty());
    }

    @Test
    void unreachableGitHubMakesTheRunnerUnavailable() {
        GitHubActionsRunner impatient = runner(Duration.ofMillis(300));
        AgentRun run = dispatched("docs");
        github.takeDown();
        try {
            assertThrows(RunnerUnavailableException.class,
                    () -> impatient.start(run, AgentDeclaration.ofWorkflow("docs")));
            assertThrows(RunnerUnavailableException.class, () -> impatient.inspect(run, Optional.empty()));
            assertThrows(RunnerUnavailableException.class, () -> impatient.cancel(run,
                    Optional.of(RunnerRef.of("github-actions").withExternalId("1"))));
        } finally {
            github.bringBack();
        }
        assertTrue(repo.actions().runs().isEmpty());
    }

    @Test
    void rateLimitedGitHubMakesTheRunnerUnavailable() {
        GitHubActionsRunner impatient = runner(Duration.ofMillis(300));
        github.limit(RateLimitFault.SECONDARY_429, Duration.ofSeconds(3));
        try {
            assertThrows(RunnerUnavailableException.class,
                    () -> impatient.start(dispatched("docs"), AgentDeclaration.ofWorkflow("docs")));
        } finally {
            github.limit(RateLimitFault.SECONDARY_429, Duration.ZERO);
        }
        assertTrue(repo.actions().runs().isEmpty());
    }

    // ---- issue #12: tests written against the runner before the move to libs/runner -----------------------------

    @Test
    void aWorkflowRunOfAnotherEventIsIgnoredThoughItsTitleNamesALiveRun() throws Exception {
        AgentRun run = dispatched("docs");
        runner.start(run, AgentDeclaration.ofWorkflow("docs"));
        repo.commitFiles("main", Map.of(".github/workflows/ci.yml", "name: ci\non: pull_request\n"), "ci");
        WorkflowRun ci = repo.actions().trigger("pull_request", "ci.yml", "Retry " + run.id(), "main");

        runner.onWorkflowRun(repo.actions().complete(ci.id(), "failure"));

        assertTrue(listener.reports.isEmpty(), "a pull request's CI ended the run: " + listener.reports);
    }

    @Test
    void anAcceptedDispatchGitHubDoesNotListYetIsPendingNotUnknown() throws Exception {
        repo.actions().omitRunDetails(true);
        repo.actions().lagListing(Duration.ofHours(1));
        AgentRun run = dispatched("docs");
        RunnerRef ref = runner.start(run, AgentDeclaration.ofWorkflow("docs"));

        RunnerTruth truth = runner.inspect(run, Optional.of(ref));

        assertInstanceOf(RunnerTruth.Pending.class, truth, "an accepted run taken for one that never started");
    }

    @Test
    void aDispatchWhoseAnswerWasLostIsNotDispatchedAgainWhileTheListingLags() throws Exception {
        repo.actions().lagListing(Duration.ofHours(1));
        AgentRun run = dispatched("docs");
        github.applyNextWritesUnanswered(1, Duration.ZERO);
        assertThrows(RunnerUnavailableException.class, () -> runner.start(run, AgentDeclaration.ofWorkflow("docs")));

        // the caller's protocol: a run whose start was not answered is started again only if the runner has no trace
        if (runner.inspect(run, Optional.empty()) instanceof RunnerTruth.Unknown) {
            runner.start(run, AgentDeclaration.ofWorkflow("docs"));
        }

        repo.actions().lagListing(Duration.ZERO);
        assertEquals(1, repo.actions().runs().size(), "dispatched twice: " + repo.actions().runs());
    }

    private RunOutcome concludedAs(String conclusion) throws Exception {
        AgentRun run = dispatched("docs");
        runner.start(run, AgentDeclaration.ofWorkflow("docs"));
        long id = repo.actions().runs().get(0).id();
        runner.onWorkflowRun(repo.actions().complete(id, conclusion));
        var finished = assertInstanceOf(RecordingListener.Finished.class, listener.last());
        assertEquals(run.id(), finished.runId());
        return finished.outcome();
    }

    private WorkflowRun onlyRun() {
        List<WorkflowRun> runs = repo.actions().runs();
        assertEquals(1, runs.size(), "workflow runs: " + runs);
        assertFalse(runs.get(0).displayTitle().isEmpty());
        return runs.get(0);
    }

    private AgentRun dispatched(String agent) {
        Instant now = Instant.now();
        return AgentRun.queued(runIds.next(), agent, new Trigger.Manual("alice"), now).moveTo(RunState.DISPATCHED,
                now);
    }

    private GitHubActionsRunner runner(Duration unavailableAfter) {
        GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login())
                .withPacing(WritePacing.unpaced()).withUnavailableAfter(unavailableAfter)
                .withRequestTimeout(Duration.ofSeconds(2));
        try {
            return new GitHubActionsRunner(GitHubAccess.connect("ghp_runner-test-token", options,
                    new SimpleMeterRegistry()), repo.fullName(), "main", Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
