package dev.monkeytown.deploy.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.github.testdouble.HostedIssues;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.RateLimitFault;
import dev.monkeytown.github.testdouble.Refusal;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateBranch;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * The receiver in GitHub mode against the GitHub double (validated against GitHub's OpenAPI description, rate-limiting
 * and losing answers on demand) through the real {@link GitHubAccess}, recording on an in-memory state branch.
 */
class AlertIssuesTest {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final Instant T1 = Instant.parse("2026-12-06T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-12-06T10:30:00Z");
    static final Instant T3 = Instant.parse("2026-12-06T11:00:00Z");

    private final GitHubDouble github = GitHubDouble.start();
    private final HostedRepository repo = github.repository("acme", "town");
    private final InMemoryRepository store = new InMemoryRepository();
    private final GroupCommitStateBranch branch = new GroupCommitStateBranch("deploy-service",
            store.branch("deploy-service"), StateBranchOptions.defaults());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        branch.close();
        github.closeRequiringValidRequests();
    }

    @Test
    void anIssuePerAlertAReSendAddsNothingAResolveClosesItAndANewFiringOpensAnother() throws Exception {
        AlertDesk desk = desk(10, branch);
        desk.receive(List.of(firing("aa01", T1)));
        HostedIssues.Issue issue = only(repo.issues().all());
        assertTrue(issue.open());
        assertTrue(issue.body().contains("<!-- monkeytown-alert: aa01 -->"), issue.body());
        assertEquals(Set.of("monkeytown-alert"), issue.labels());
        assertEquals("[critical] SiteDown: No api-gateway instance answers", issue.title());
        assertEquals(1, record("aa01").issue().number());

        int commits = store.log("deploy-service").size();
        github.ledger().clear();
        desk.receive(List.of(firing("aa01", T1)));
        assertEquals(0, github.ledger().requests().size(), "a re-sent firing alert costs no GitHub request");
        assertEquals(commits, store.log("deploy-service").size(), "and no state commit");

        desk.receive(List.of(resolved("aa01", T1, T2)));
        HostedIssues.Issue closed = repo.issues().issue(1).orElseThrow();
        assertFalse(closed.open());
        assertEquals("completed", closed.stateReason());
        assertEquals(1, closed.comments().size());
        assertTrue(closed.comments().get(0).body().startsWith("Resolved at " + T2), closed.comments().toString());
        assertEquals(AlertStatus.RESOLVED, record("aa01").status());

        github.ledger().clear();
        desk.receive(List.of(resolved("aa01", T1, T2)));
        assertEquals(0, github.ledger().costs().writes(), "a re-sent resolve writes nothing");

        desk.receive(List.of(firing("aa01", T3)));
        assertEquals(2, repo.issues().all().size(), "a new firing after the close is a new issue");
        assertTrue(repo.issues().issue(2).orElseThrow().open());
        assertFalse(repo.issues().issue(1).orElseThrow().open());
        assertEquals(2, record("aa01").issue().number());
        assertEquals(2.0, registry.counter("monkeytown.alerts.issues", "action", "opened").count());
        assertEquals(1.0, registry.counter("monkeytown.alerts.issues", "action", "closed").count());
    }

    @Test
    void twoAlertsInOneNotificationAreTwoIssuesRecordedInOneCommit() throws Exception {
        AlertDesk desk = desk(10, branch);
        desk.receive(List.of(firing("bb01", T1)));
        int commits = store.log("deploy-service").size();
        desk.receive(List.of(firing("bb02", T1), firing("bb03", T1)));
        assertEquals(3, repo.issues().all().size());
        assertEquals(commits + 1, store.log("deploy-service").size(), "one commit per notification");
        assertEquals(2, record("bb02").issue().number());
        assertEquals(3, record("bb03").issue().number());
    }

    @Test
    void aSecondaryRateLimitIsWaitedOutAndTheIssueOpenedOnce() throws Exception {
        AlertDesk desk = desk(10, branch);
        github.limit(RateLimitFault.SECONDARY_429, Duration.ofSeconds(2));
        desk.receive(List.of(firing("cc01", T1)));
        assertTrue(github.ledger().refused(Refusal.INJECTED).stream().anyMatch(r -> r.status() == 429),
                "GitHub refused with its secondary limit first: " + github.ledger().requests());
        only(repo.issues().all());
        assertEquals(1, record("cc01").issue().number());
    }

    @Test
    void anIssueWhoseAnswerWasLostIsFoundByItsMarkerAndNotOpenedTwice() throws Exception {
        AlertDesk desk = desk(10, branch);
        github.applyNextWritesUnanswered(1, Duration.ZERO);
        desk.receive(List.of(firing("dd01", T1)));
        HostedIssues.Issue issue = only(repo.issues().all());
        assertEquals(issue.number(), record("dd01").issue().number());
        long creates = github.ledger().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/issues")).count();
        assertEquals(1, creates, "never sent again: " + github.ledger().requests());
    }

    @Test
    void killedBetweenTheIssueAndItsRecordTheReSendFindsTheIssue() throws Exception {
        assertThrows(StateUnavailableException.class,
                () -> desk(10, new KilledBeforeCommit(branch)).receive(List.of(firing("ee01", T1))));
        HostedIssues.Issue issue = only(repo.issues().all());
        assertTrue(branch.read(AlertRecord.path("ee01")).await().indefinitely().isEmpty(), "nothing recorded");

        // the restarted service: a fresh desk, fresh budget, the same branch; Alertmanager sends again
        AlertDesk restarted = desk(10, branch);
        restarted.receive(List.of(firing("ee01", T1)));
        assertEquals(1, repo.issues().all().size(), "no second issue");
        assertEquals(issue.number(), record("ee01").issue().number());
    }

    @Test
    void killedBeforeRecordingAnIssueItsResolveStillClosesIt() throws Exception {
        assertThrows(StateUnavailableException.class,
                () -> desk(10, new KilledBeforeCommit(branch)).receive(List.of(firing("ff01", T1))));
        desk(10, branch).receive(List.of(resolved("ff01", T1, T2)));
        HostedIssues.Issue issue = only(repo.issues().all());
        assertFalse(issue.open(), "found by its marker and closed");
        assertEquals(AlertStatus.RESOLVED, record("ff01").status());
        assertEquals(issue.number(), record("ff01").issue().number());
    }

    @Test
    void anAlertStormOpensAtMostTheCapAndSummarisesTheRestInOneIssue() throws Exception {
        AlertDesk desk = desk(2, branch);
        desk.receive(List.of(firing("ab01", T1), firing("ab02", T1), firing("ab03", T1), firing("ab04", T1),
                firing("ab05", T1)));
        List<HostedIssues.Issue> issues = repo.issues().all();
        assertEquals(3, issues.size(), "two alert issues and one summary: " + issues);
        HostedIssues.Issue summary = issues.get(2);
        assertTrue(summary.body().contains("<!-- monkeytown-alert-summary: "), summary.body());
        String window = record("ab03").summarisedIn();
        assertEquals(window, record("ab05").summarisedIn());
        assertEquals(null, record("ab03").issue());
        AlertSummary recorded = JSON.readValue(branch.read(AlertSummary.path(window)).await().indefinitely()
                .orElseThrow().content(), AlertSummary.class);
        assertEquals(3, recorded.count());
        assertEquals(summary.number(), recorded.issue().number());
        assertEquals(3.0, registry.counter("monkeytown.alerts.issues", "action", "summarised").count());

        // more of the storm, and a restart: the cap is read back from the records, nothing more is written to GitHub
        github.ledger().clear();
        desk(2, branch).receive(List.of(firing("ab06", T1), firing("ab03", T1)));
        assertEquals(0, github.ledger().costs().writes(), github.ledger().requests().toString());
        assertEquals(3, repo.issues().all().size());
        assertEquals(window, record("ab06").summarisedIn());
    }

    @Test
    void aDeliveryGitHubCannotTakeFailsAndChangesNothing() {
        AlertDesk desk = desk(10, branch, Duration.ofSeconds(1));
        github.answerUnavailable(true);
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> desk.receive(List.of(firing("ac01", T1))));
        assertTrue(failure.getMessage().contains("GitHub"), failure.getMessage());
        github.answerUnavailable(false);
        assertTrue(repo.issues().all().isEmpty());
        assertTrue(branch.read(AlertRecord.path("ac01")).await().indefinitely().isEmpty());
    }

    // ---

    private AlertDesk desk(int perHour, StateBranch on) {
        return desk(perHour, on, Duration.ofSeconds(20));
    }

    private AlertDesk desk(int perHour, StateBranch on, Duration unavailableAfter) {
        GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login())
                .withPacing(WritePacing.unpaced()).withUnavailableAfter(unavailableAfter)
                .withRequestTimeout(Duration.ofSeconds(2));
        try {
            GitHubAccess access = GitHubAccess.connect("ghp_alerts-token", options, registry);
            return new AlertDesk(on, new GitHubIssues(access, "acme/town", "monkeytown-alert", JSON), perHour,
                    new AlertMetrics(registry), JSON, Duration.ofDays(90), Clock.systemUTC());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private AlertRecord record(String fingerprint) throws IOException {
        Document document = branch.read(AlertRecord.path(fingerprint)).await().indefinitely().orElseThrow(
                () -> new AssertionError("no record of " + fingerprint));
        return JSON.readValue(document.content(), AlertRecord.class);
    }

    private static HostedIssues.Issue only(List<HostedIssues.Issue> issues) {
        assertEquals(1, issues.size(), issues.toString());
        return issues.get(0);
    }

    static AlertEvent firing(String fingerprint, Instant startsAt) {
        return new AlertEvent(fingerprint, AlertStatus.FIRING, Map.of("alertname", "SiteDown", "severity", "critical",
                "service", "api-gateway"),
                Map.of("summary", "No api-gateway instance answers", "runbook",
                        "docs/operations.md#sitedown"),
                startsAt, Optional.empty(), "http://prometheus:9090/graph");
    }

    static AlertEvent resolved(String fingerprint, Instant startsAt, Instant endsAt) {
        return new AlertEvent(fingerprint, AlertStatus.RESOLVED, Map.of("alertname", "SiteDown", "severity",
                "critical", "service", "api-gateway"), Map.of(), startsAt, Optional.of(endsAt), "");
    }

    /** The process dies after GitHub answered and before its commit: nothing reaches the branch. */
    private record KilledBeforeCommit(StateBranch real) implements StateBranch {
        @Override
        public String service() {
            return real.service();
        }

        @Override
        public Uni<Optional<Document>> read(String path) {
            return real.read(path);
        }

        @Override
        public Uni<List<Document>> list(String prefix) {
            return real.list(prefix);
        }

        @Override
        public Uni<CommitReceipt> apply(Change change) {
            return Uni.createFrom().failure(new StateUnavailableException("killed before the commit", null));
        }

        @Override
        public Uni<Void> refresh() {
            return real.refresh();
        }
    }
}
