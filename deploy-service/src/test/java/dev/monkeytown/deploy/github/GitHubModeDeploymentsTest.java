package dev.monkeytown.deploy.github;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.EventLog;
import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.GitObjects;
import dev.monkeytown.github.testdouble.HostedActions;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.kit.testing.Management;

/**
 * deploy-service in GitHub mode end to end against the GitHub double: a deployment is one commit on
 * {@code environments/<env>} made through the Git Data API and a dispatch of {@code deploy-<env>.yml}; Actions makes
 * the GitHub deployment (never deploy-service: no {@code POST /deployments}), and its {@code deployment_status}
 * webhooks — built from GitHub's published examples — or, when they are lost, reconciliation move the record.
 */
@QuarkusTest
@TestProfile(GitHubModeProfile.class)
class GitHubModeDeploymentsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_HEADER = "X-Monkeytown-Internal-Token";

    @Inject
    EventLog events;

    @BeforeEach
    void callAsTheGateway() {
        io.restassured.RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader(TOKEN_HEADER, token()).build();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @AfterEach
    void uninstall() {
        io.restassured.RestAssured.requestSpecification = null;
    }

    @Test
    void aDeployWhoseWorkflowSucceedsMovesTheEnvironmentBranchByOneCommitAndMakesNoDeploymentItself()
            throws Exception {
        String sha = sourceCommit("alpha");
        String id = deploy("alpha", sha);
        WorkflowRun run = awaitRun(id);
        assertEquals("environments/alpha", run.headBranch(), "dispatched on the environment branch");
        awaitState(id, "waiting");
        deliverDeploymentStatuses(); // queued

        deliver("workflow_run", actions().markInProgress(run.id()));
        deliverDeploymentStatuses(); // in_progress
        awaitState(id, "in_progress");
        deliver("workflow_run", actions().complete(run.id(), "success"));
        deliverDeploymentStatuses(); // success
        JsonPath done = awaitState(id, "success");

        long gitHubDeployment = repo().deployments().forRun(run.id()).orElseThrow().id();
        assertEquals(run.id(), done.getLong("github.runId"));
        assertEquals(gitHubDeployment, done.getLong("github.deploymentId"));
        GitObjects.Commit envHead = envHead("alpha");
        assertEquals(done.getString("environmentCommit"), envHead.sha());
        assertEquals(tree(sha), envHead.tree(), "the environment commit's tree is the deployed tree");
        assertEquals(List.of(), envHead.parents(), "the branch's first deployment: one commit, nothing before it");
        assertEquals(envHead.sha(), run.headSha());
        assertTrue(envHead.message().startsWith("Deploy " + sha + " (deployment " + id + ")"), envHead.message());
        assertTrue(envHead.message().contains("Monkeytown-Deployment: " + id));
        assertEquals(1, repo().deployments().all().stream().filter(d -> d.environment().equals("alpha")).count(),
                "one GitHub deployment: the one Actions made");
        noDeploymentCreatedThroughTheApi();
        given().get("/api/v1/environments/alpha").then().statusCode(200).body("current.id", org.hamcrest.Matchers
                .is(id)).body("lastGood.id", org.hamcrest.Matchers.is(id));
    }

    @Test
    void aFailingDeployWithOnFailureRevertGetsOneRevertCommitWithTheLastGoodTree() throws Exception {
        String good = sourceCommit("beta");
        String first = deploy("beta", good);
        finishOnGitHub(awaitRun(first), "success");
        awaitState(first, "success");
        String goodCommit = envHead("beta").sha();

        String bad = sourceCommit("beta");
        String broken = deploy("beta", bad);
        finishOnGitHub(awaitRun(broken), "failure");
        JsonPath failed = awaitState(broken, "failure");
        assertTrue(failed.getString("reason").contains("GitHub reported failure"), failed.getString("reason"));
        String badCommit = failed.getString("environmentCommit");

        // onFailure: revert — one new commit with the last good tree, dispatched as kind revert
        String revert = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment(broken).getString("revertedBy"), r -> r != null);
        WorkflowRun revertRun = awaitRun(revert);
        finishOnGitHub(revertRun, "success");
        JsonPath reverted = awaitState(revert, "success");
        assertEquals("revert", reverted.getString("kind"));
        assertEquals(good, reverted.getString("sha"));

        GitObjects.Commit head = envHead("beta");
        assertEquals(reverted.getString("environmentCommit"), head.sha());
        assertEquals(tree(good), head.tree(), "the revert restores the last good tree exactly");
        assertEquals(List.of(badCommit), head.parents(), "on top of the failed deployment's commit: history kept");
        GitObjects.Commit failedCommit = commit(badCommit);
        assertEquals(List.of(goodCommit), failedCommit.parents());
        assertTrue(head.message().startsWith("Revert beta to " + good + " (deployment " + revert + ")"),
                head.message());
        assertTrue(head.message().contains("Monkeytown-Revert-Of: " + broken), head.message());
        assertEquals(1, given().get("/api/v1/deployments?environment=beta&limit=50").then().statusCode(200)
                .extract().jsonPath().getList("deployments.findAll { it.kind == 'revert' }").size(),
                "one revert per failed deployment");
        noDeploymentCreatedThroughTheApi();
    }

    @Test
    void aLostDeploymentStatusWebhookIsSettledByReconciliation() throws Exception {
        String sha = sourceCommit("gamma");
        String id = deploy("gamma", sha);
        WorkflowRun run = awaitRun(id);
        actions().markInProgress(run.id());
        actions().complete(run.id(), "success");
        repo().deployments().takeWebhooks(); // GitHub sent them; none arrived, and GitHub never redelivers

        JsonPath done = awaitState(id, "success");
        assertEquals(repo().deployments().forRun(run.id()).orElseThrow().id(), done.getLong("github.deploymentId"));
        assertTrue(done.getString("reason").contains("GitHub reported success"), done.getString("reason"));
        assertEquals(tree(sha), envHead("gamma").tree());
        noDeploymentCreatedThroughTheApi();
    }

    @Test
    void aRefMovedBySomeoneElseDuringTheDeployIsNeverForcedTheCommitGoesOnTopOfIt() throws Exception {
        String first = deploy("delta", sourceCommit("delta"));
        finishOnGitHub(awaitRun(first), "success");
        awaitState(first, "success");

        // someone else moves environments/delta; GitHub's replicas still read the old head for a while, so the
        // deploy's first compare-and-swap is refused as not a fast forward
        GitHubModeProfile.DoubleResource.github.lagReads(Duration.ofSeconds(2));
        String theirs;
        try {
            theirs = repo().commitFiles("environments/delta", Map.of("hotfix.txt", "by hand\n"), "a hand-made fix");
        } finally {
            GitHubModeProfile.DoubleResource.github.lagReads(Duration.ZERO);
        }
        String sha = sourceCommit("delta");
        String id = deploy("delta", sha);
        finishOnGitHub(awaitRun(id), "success");
        awaitState(id, "success");

        GitObjects.Commit head = envHead("delta");
        assertEquals(List.of(theirs), head.parents(), "the deployment's commit went on top of the other writer's");
        assertEquals(tree(sha), head.tree());
        List<RecordedRequest> moves = ledger().stream().filter(r -> r.method().equals("PATCH")
                && r.path().endsWith("/git/refs/heads/environments/delta")).toList();
        assertTrue(moves.stream().anyMatch(r -> r.status() == 422), "a refused fast forward: " + moves);
        assertEquals(200, moves.get(moves.size() - 1).status());
    }

    @Test
    void anOutageAfterTheBranchMovedLeavesTheDeploymentQueuedAndItsOneCommitIsFoundAgain() throws Exception {
        String first = deploy("eta", sourceCommit("eta"));
        finishOnGitHub(awaitRun(first), "success");
        awaitState(first, "success");
        String before = envHead("eta").sha();

        // GitHub moves environments/eta, answers the PATCH 502, and then cannot be read for a while: whether the
        // commit landed is unknown, which is no reason to end the deployment (nor to make a second commit)
        String refPath = "/repos/" + GitHubModeProfile.OWNER + "/" + GitHubModeProfile.NAME;
        GitHubModeProfile.DoubleResource.github.failWriteThenReads(refPath + "/git/refs/heads/environments/eta", true,
                refPath + "/git/ref/heads/environments/eta", 12);
        String sha = sourceCommit("eta");
        String id = deploy("eta", sha);
        JsonPath launched = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> deployment(id),
                d -> !"queued".equals(d.getString("state")));
        assertEquals("waiting", launched.getString("state"), launched.prettify());
        WorkflowRun run = awaitRun(id);
        assertTrue(ledger().stream().anyMatch(r -> r.method().equals("GET")
                && r.path().endsWith("/git/ref/heads/environments/eta") && r.status() == 503),
                "the head could not be read back for a while");
        finishOnGitHub(run, "success");
        JsonPath done = awaitState(id, "success");

        GitObjects.Commit head = envHead("eta");
        assertEquals(done.getString("environmentCommit"), head.sha(), "the commit GitHub applied is the record's");
        assertEquals(List.of(before), head.parents(), "one commit for the deployment, none made twice");
        assertTrue(head.message().contains("Monkeytown-Deployment: " + id), head.message());
        assertEquals(run.headSha(), head.sha());
    }

    @Test
    void approvalBelongsToGitHubTheRecordWaitsWhileTheRunWaitsOnReviewers() throws Exception {
        String id = deploy("epsilon", sourceCommit("epsilon"));
        WorkflowRun run = awaitRun(id);
        deliverDeploymentStatuses(); // waiting: the environment's reviewers
        JsonPath waiting = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> deployment(id),
                d -> d.getString("reason") != null && d.getString("reason").contains("reviewer"));
        assertEquals("waiting", waiting.getString("state"));

        given().contentType(ContentType.JSON).body("{\"reason\":\"looks fine\"}")
                .post("/api/v1/deployments/" + id + "/approve").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("approval happens"));

        deliver("deployment_status", repo().deployments().approve(run.id()));
        repo().deployments().takeWebhooks();
        finishOnGitHub(run, "success");
        awaitState(id, "success");
    }

    @Test
    void aHandRunOfTheDeployWorkflowAtTheSameCommitDoesNotMoveOurWaitingRecord() throws Exception {
        String id = deploy("theta", sourceCommit("theta"));
        WorkflowRun ours = awaitRun(id);
        deliverDeploymentStatuses(); // waiting: the environment's reviewers
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> deployment(id),
                d -> d.getString("reason") != null && d.getString("reason").contains("reviewer"));

        // someone runs deploy-theta.yml by hand on environments/theta, whose head is our deployment's commit; a
        // reviewer lets it run and it fails: that GitHub deployment is theirs, at our sha
        WorkflowRun theirs = actions().dispatchByHand("deploy-theta.yml", "deploy theta", "environments/theta");
        assertEquals(ours.headSha(), theirs.headSha());
        repo().deployments().approve(theirs.id());
        actions().markInProgress(theirs.id());
        actions().complete(theirs.id(), "failure");
        for (ObjectNode webhook : repo().deployments().takeWebhooks()) {
            assertEquals(theirs.id(), webhook.path("workflow_run").path("id").asLong(), webhook.toString());
            String note = deliver("deployment_status", webhook).getString("note");
            assertTrue(note.startsWith("no deployment of theta"), note);
        }
        JsonPath still = deployment(id);
        assertEquals("waiting", still.getString("state"), still.prettify());
        assertEquals(ours.id(), still.getLong("github.runId"));
    }

    @Test
    void aDeploymentRejectedOnGitHubWhileWaitingEndsInactiveNotFailed() throws Exception {
        String good = deploy("iota", sourceCommit("iota"));
        WorkflowRun goodRun = awaitRun(good);
        deliver("deployment_status", repo().deployments().approve(goodRun.id()));
        finishOnGitHub(goodRun, "success");
        awaitState(good, "success");

        String id = deploy("iota", sourceCommit("iota"));
        WorkflowRun run = awaitRun(id);
        deliverDeploymentStatuses(); // waiting: the environment's reviewers
        deliver("workflow_run", repo().deployments().reject(run.id()));
        deliverDeploymentStatuses(); // what Actions says of the deployment whose job never ran
        JsonPath rejected = awaitState(id, "inactive");
        assertTrue(rejected.getString("reason").contains("rejected or cancelled on GitHub"),
                rejected.getString("reason"));
        JsonPath environment = given().get("/api/v1/environments/iota").then().statusCode(200).extract().jsonPath();
        assertEquals(1.0, environment.getDouble("successRate.days7"), "a rejection is not a failed deployment");
        assertEquals(false, environment.getBoolean("paused"), "no onFailure: nothing reverted, nothing paused");
        assertEquals(List.of(), given().get("/api/v1/deployments?environment=iota&limit=50").then().statusCode(200)
                .extract().jsonPath().getList("deployments.findAll { it.kind == 'revert' }.id"),
                "no revert of a deployment that never ran");
    }

    @Test
    void aWorkflowRunThatReadsAsNotFoundForAWhileIsNeverDispatchedAgainOnceItRuns() throws Exception {
        String id = deploy("kappa", sourceCommit("kappa"));
        WorkflowRun run = awaitRun(id);
        finishOnGitHubLater(run);
        awaitState(id, "in_progress");

        // GitHub's replicas answer 404 for the run for a while: it is not gone, and it already runs
        String runPath = "/repos/" + GitHubModeProfile.OWNER + "/" + GitHubModeProfile.NAME + "/actions/runs/"
                + run.id();
        GitHubModeProfile.DoubleResource.github.answerNextReadsNotFound(runPath, 1);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> ledger().stream()
                .anyMatch(r -> r.method().equals("GET") && r.path().equals(runPath) && r.status() == 404));
        deliver("workflow_run", actions().complete(run.id(), "success"));
        deliverDeploymentStatuses();
        awaitState(id, "success");
        assertEquals(List.of(run.id()), actions().runs().stream().filter(r -> r.displayTitle().contains(id))
                .map(WorkflowRun::id).toList(), "one workflow run for the deployment: never dispatched twice");
    }

    @Test
    void aDispatchGitHubRefusesForWantOfPermissionEndsTheDeploymentInErrorOnceAndRaisesTheAlert() throws Exception {
        // a token without actions: write: GitHub answers every dispatch of deploy-lambda.yml 403, not a rate limit
        String dispatches = "/repos/" + GitHubModeProfile.OWNER + "/" + GitHubModeProfile.NAME
                + "/actions/workflows/deploy-lambda.yml/dispatches";
        GitHubModeProfile.DoubleResource.github.refuseNextWritesForPermission(1000, java.util.regex.Pattern.quote(
                dispatches), "actions=write");
        String id = deploy("lambda", sourceCommit("lambda"));

        JsonPath ended = awaitState(id, "error");
        String reason = ended.getString("reason");
        assertTrue(reason.contains("HTTP 403") && reason.contains("Resource not accessible by integration")
                && reason.contains("actions=write"), reason);
        Event alert = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> events.since(0)
                .events().stream().filter(e -> e.type().equals("alert.raised") && e.subject().equals("lambda")
                        && e.data().path("deployment").asText().equals(id))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertEquals("Deployment failed", alert.data().path("alert").asText());
        assertTrue(alert.data().path("detail").asText().contains("Resource not accessible by integration"),
                alert.data().toString());

        Thread.sleep(3_000); // three reconciliations: none dispatches it again
        assertEquals(1, ledger().stream().filter(r -> r.method().equals("POST") && r.path().equals(dispatches))
                .count(), "decided once: not dispatched again at every reconciliation");
        assertEquals(List.of(), given().get("/api/v1/deployments?environment=lambda&limit=50").then().statusCode(200)
                .extract().jsonPath().getList("deployments.findAll { it.kind == 'revert' }.id"),
                "nothing ran, so nothing to revert: its onFailure does not apply");
        assertEquals("error", deployment(id).getString("state"));
    }

    /**
     * A revert whose dispatch GitHub refuses for good is a failing revert: it alerts and pauses {@code revert_failed},
     * which a new commit does not lift (a {@code reverted} pause would be lifted while the failed tree still runs).
     */
    @Test
    void aRevertWhoseDispatchGitHubRefusesPausesTheEnvironmentAsRevertFailedAndAlerts() throws Exception {
        String good = sourceCommit("xi");
        String first = deploy("xi", good);
        finishOnGitHub(awaitRun(first), "success");
        awaitState(first, "success");
        String broken = deploy("xi", sourceCommit("xi"));
        WorkflowRun brokenRun = awaitRun(broken);
        String dispatches = "/repos/" + GitHubModeProfile.OWNER + "/" + GitHubModeProfile.NAME
                + "/actions/workflows/deploy-xi.yml/dispatches";
        GitHubModeProfile.DoubleResource.github.refuseNextWritesForPermission(1000, java.util.regex.Pattern.quote(
                dispatches), "actions=write");
        finishOnGitHub(brokenRun, "failure");
        awaitState(broken, "failure");
        String revert = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment(broken).getString("revertedBy"), r -> r != null);

        JsonPath ended = awaitState(revert, "error");
        assertTrue(ended.getString("reason").contains("HTTP 403"), ended.getString("reason"));
        JsonPath environment = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/api/v1/environments/xi").then().statusCode(200).extract().jsonPath(),
                        e -> "revert_failed".equals(e.getString("pause.reason")));
        assertTrue(environment.getBoolean("paused"));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> events.since(0).events().stream()
                .anyMatch(e -> e.type().equals("alert.raised") && e.subject().equals("xi")
                        && e.data().path("detail").asText().contains("revert " + revert)));
    }

    /**
     * A dispatched deployment whose workflow run disappears for good (deleted, purged) before its job made a GitHub
     * deployment: GitHub has nothing, so it ends error with the alert instead of holding its environment for ever, and
     * is never dispatched again.
     */
    @Test
    void aDeploymentWhoseWorkflowRunIsGoneWithNothingOnGitHubEndsInErrorWithTheAlert() throws Exception {
        String id = deploy("omicron", sourceCommit("omicron"));
        WorkflowRun run = awaitRun(id);
        String runPath = "/repos/" + GitHubModeProfile.OWNER + "/" + GitHubModeProfile.NAME + "/actions/runs/"
                + run.id();
        GitHubModeProfile.DoubleResource.github.answerNextReadsNotFound(runPath, 1_000_000);

        JsonPath ended = awaitState(id, "error");
        assertTrue(ended.getString("reason").contains("workflow run gone"), ended.getString("reason"));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> events.since(0).events().stream()
                .anyMatch(e -> e.type().equals("alert.raised") && e.subject().equals("omicron")
                        && e.data().path("deployment").asText().equals(id)));
        Thread.sleep(2_000); // two reconciliations: none dispatches it again
        assertEquals(List.of(run.id()), actions().runs().stream().filter(r -> r.displayTitle().contains(id))
                .map(WorkflowRun::id).toList(), "never dispatched again");
    }

    /**
     * A revert whose workflow run disappears ends error like any deployment, and as a failing revert it pauses the
     * environment {@code revert_failed}, in the same commit: the {@code reverted} pause a new commit lifts would let
     * automatic deploys run over the failed tree.
     */
    @Test
    void aRevertWhoseWorkflowRunIsGonePausesTheEnvironmentAsRevertFailed() throws Exception {
        String first = deploy("pi", sourceCommit("pi"));
        finishOnGitHub(awaitRun(first), "success");
        awaitState(first, "success");
        String broken = deploy("pi", sourceCommit("pi"));
        finishOnGitHub(awaitRun(broken), "failure");
        awaitState(broken, "failure");
        String revert = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment(broken).getString("revertedBy"), r -> r != null);
        WorkflowRun revertRun = awaitRun(revert);
        GitHubModeProfile.DoubleResource.github.answerNextReadsNotFound("/repos/" + GitHubModeProfile.OWNER + "/"
                + GitHubModeProfile.NAME + "/actions/runs/" + revertRun.id(), 1_000_000);

        JsonPath ended = awaitState(revert, "error");
        assertTrue(ended.getString("reason").contains("workflow run gone"), ended.getString("reason"));
        JsonPath environment = given().get("/api/v1/environments/pi").then().statusCode(200).extract().jsonPath();
        assertEquals("revert_failed", environment.getString("pause.reason"), environment.prettify());
    }

    @Test
    void reconciliationTakesTheGitHubDeploymentOfOurRunNotAForeignOneAtTheSameCommit() throws Exception {
        String id = deploy("mu", sourceCommit("mu"));
        WorkflowRun ours = awaitRun(id);
        awaitState(id, "waiting");
        // someone runs deploy-mu.yml by hand on environments/mu (our commit) and it fails; no webhook arrives, so
        // reconciliation finds the deployments at that environment and sha: theirs is the newest
        WorkflowRun theirs = actions().dispatchByHand("deploy-mu.yml", "deploy mu", "environments/mu");
        assertEquals(ours.headSha(), theirs.headSha());
        actions().markInProgress(theirs.id());
        actions().complete(theirs.id(), "failure");
        repo().deployments().takeWebhooks();

        Thread.sleep(3_000); // three reconciliations
        JsonPath still = deployment(id);
        assertEquals("waiting", still.getString("state"), still.prettify());

        actions().markInProgress(ours.id());
        actions().complete(ours.id(), "success");
        repo().deployments().takeWebhooks();
        JsonPath done = awaitState(id, "success");
        assertEquals(repo().deployments().forRun(ours.id()).orElseThrow().id(), done.getLong("github.deploymentId"));
    }

    @Test
    void aDefiniteRefusalToMoveTheEnvironmentBranchEndsTheDeploymentInErrorWithoutDispatching() throws Exception {
        String first = deploy("nu", sourceCommit("nu"));
        finishOnGitHub(awaitRun(first), "success");
        awaitState(first, "success");
        String branch = "/repos/" + GitHubModeProfile.OWNER + "/" + GitHubModeProfile.NAME
                + "/git/refs/heads/environments/nu";
        // a definite answer, not an outage: trying again gets the same 403
        GitHubModeProfile.DoubleResource.github.refuseNextWritesForPermission(1000, java.util.regex.Pattern.quote(
                branch), "contents=write");

        String id = deploy("nu", sourceCommit("nu"));

        JsonPath ended = awaitState(id, "error");
        assertTrue(ended.getString("reason").contains("could not commit on environments/nu")
                && ended.getString("reason").contains("HTTP 403"), ended.getString("reason"));
        assertEquals(null, ended.getString("environmentCommit"), "the branch never recorded it");
        Thread.sleep(2_000); // two reconciliations: it is not tried again
        assertEquals(1, ledger().stream().filter(r -> r.method().equals("PATCH") && r.path().equals(branch)
                && r.status() == 403).count());
        assertEquals(1, actions().runs().stream().filter(r -> r.path().endsWith("deploy-nu.yml")).count(),
                "nothing dispatched for it");
    }

    /** The run's job starts; every webhook GitHub sends about that arrives. */
    private static void finishOnGitHubLater(WorkflowRun run) {
        deliver("workflow_run", actions().markInProgress(run.id()));
        deliverDeploymentStatuses();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** A new commit on main for the environment and a succeeded site build of it at build-service. */
    static String sourceCommit(String environment) throws Exception {
        String sha = repo().commitFiles("main", Map.of("NEWS-" + environment + ".md", UUID.randomUUID() + "\n"),
                "news for " + environment);
        succeededBuild("B-" + UUID.randomUUID(), sha, tree(sha));
        return sha;
    }

    private static void succeededBuild(String id, String sha, String tree) throws Exception {
        String base = ConfigProvider.getConfig().getValue("monkeytown.deploy.builds.url", String.class);
        HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                + "/test/builds")).POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                        Map.of("id", id,
                                "sha", sha, "tree", tree, "page", "<p>" + sha + "</p>"))))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, added.statusCode());
    }

    static String deploy(String environment, String sha) {
        return given().contentType(ContentType.JSON).body("{\"sha\":\"" + sha + "\"}")
                .post("/api/v1/environments/" + environment + "/deployments").then().statusCode(202).extract()
                .path("id");
    }

    /** The run's job runs and ends; every webhook GitHub sends about it arrives. */
    static void finishOnGitHub(WorkflowRun run, String conclusion) {
        deliver("workflow_run", actions().markInProgress(run.id()));
        deliver("workflow_run", actions().complete(run.id(), conclusion));
        deliverDeploymentStatuses();
    }

    private static void deliverDeploymentStatuses() {
        for (ObjectNode webhook : repo().deployments().takeWebhooks()) {
            deliver("deployment_status", webhook);
        }
    }

    /** The webhook as the gateway forwards it; answers what was done ({@code event}, {@code handled}, {@code note}). */
    static JsonPath deliver(String event, ObjectNode payload) {
        return given().header("X-GitHub-Event", event).header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(payload.toString()).post("/internal/webhooks/github").then()
                .statusCode(202).extract().jsonPath();
    }

    static WorkflowRun awaitRun(String deploymentId) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> actions().runs().stream()
                .filter(r -> r.displayTitle().contains(deploymentId)).toList(), runs -> !runs.isEmpty()).get(0);
    }

    static JsonPath awaitState(String id, String state) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> deployment(id),
                d -> state.equals(d.getString("state")));
    }

    static JsonPath deployment(String id) {
        return given().get("/api/v1/deployments/" + id).then().statusCode(200).extract().jsonPath();
    }

    static void noDeploymentCreatedThroughTheApi() {
        List<RecordedRequest> created = ledger().stream().filter(r -> r.method().equals("POST")
                && r.path().matches("/repos/[^/]+/[^/]+/deployments(/.*)?")).toList();
        assertTrue(created.isEmpty(), "deploy-service created GitHub deployments itself: " + created);
        assertTrue(GitHubModeProfile.DoubleResource.github.violations().isEmpty(),
                () -> "requests GitHub would refuse: " + GitHubModeProfile.DoubleResource.github.violations());
        assertFalse(ledger().stream().anyMatch(r -> r.method().equals("PATCH") && r.kind() == CallKind.WRITE
                && r.path().contains("/git/refs/heads/environments/") && !r.path().endsWith("/environments/eta")
                && r.status() >= 500), "no 5xx moving an environment branch but the one eta's outage test armed");
    }

    static List<RecordedRequest> ledger() {
        return GitHubModeProfile.DoubleResource.github.ledger().requests();
    }

    static GitObjects.Commit envHead(String environment) {
        return commit(repo().ref("refs/heads/environments/" + environment).orElseThrow());
    }

    private static GitObjects.Commit commit(String sha) {
        return repo().objects().find(sha, GitObjects.Commit.class).orElseThrow();
    }

    static String tree(String sha) {
        GitObjects.Commit commit = commit(sha);
        assertNotNull(commit);
        return commit.tree();
    }

    static HostedRepository repo() {
        return GitHubModeProfile.DoubleResource.repository;
    }

    private static HostedActions actions() {
        return repo().actions();
    }

    static String token() {
        return ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class);
    }
}
