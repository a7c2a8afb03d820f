package dev.monkeytown.deploy.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.deploy.deployments.Artifact;
import dev.monkeytown.deploy.deployments.Deployment;
import dev.monkeytown.deploy.deployments.DeploymentKind;
import dev.monkeytown.deploy.deployments.DeploymentState;
import dev.monkeytown.deploy.deployments.EnvironmentStatus;
import dev.monkeytown.deploy.environment.Environment;
import dev.monkeytown.deploy.environment.EnvironmentCatalog;
import dev.monkeytown.deploy.environment.EnvironmentsFile;
import dev.monkeytown.deploy.environment.ExampleEnvironments;
import dev.monkeytown.deploy.gitops.LocalRepository;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.runner.local.LocalRunner;
import dev.monkeytown.runner.local.Sandbox;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * The seeded example environments on the real local runner and a real local repository: a good build deployed to
 * staging passes its health check; a broken one fails it and is reverted at once to the last good tree (the
 * environment branch and the {@code current} link say so), and automatic deploys pause until a newer commit. Production
 * waits for approval and its command sees the secrets only then. A restart mid-deployment ends it as an error.
 */
class LocalDeploymentsEndToEndTest {

    private static final String SECRET = "s3cr3t-api-key-value";

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** What the registry was told each environment references: [current, last good]. */
    private final Map<String, List<List<String>>> references = new java.util.concurrent.ConcurrentHashMap<>();

    /** Build outputs as build-service would have stored them: the site page of each build id. */
    private final Map<String, String> pages = new HashMap<>();
    private final ArtifactStore store = (artifacts, directory) -> {
        for (Artifact artifact : artifacts) {
            Path page = directory.resolve(artifact.pipeline()).resolve("dist/site/index.html");
            Files.createDirectories(page.getParent());
            Files.writeString(page, pages.get(artifact.buildId()));
        }
    };

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void goodDeploysBrokenIsRevertedToLastGoodAndAutoDeployPauses(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        assertTrue(ExampleEnvironments.seed(repo, "main"));
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        EnvironmentCatalog catalog = EnvironmentsFile.parse(a.sha(), local.file(a.sha(), EnvironmentsFile.PATH));
        assertEquals(List.of(), catalog.problems());
        GroupCommitStateBranch branch = branch();
        DeployEngine engine = engine(home, repo, local, branch, () -> catalog);

        pages.put("B-good", page(a.sha(), true));
        Deployment first = engine.request("staging", a, DeploymentKind.DEPLOY, List.of(artifact("B-good", a)),
                "alice").get(10, TimeUnit.SECONDS);
        assertEquals(DeploymentState.QUEUED, first.state());
        Deployment good = awaitEnd(engine, first.id());
        assertEquals(DeploymentState.SUCCESS, good.state(), good.reason());
        Path staging = home.resolve("environments/staging");
        assertEquals(Path.of("releases/" + good.id()), Files.readSymbolicLink(staging.resolve("current")));
        assertEquals(page(a.sha(), true), Files.readString(staging.resolve("current/index.html")));
        assertEquals(a.tree(), local.head("environments/staging").orElseThrow().tree());
        assertEquals(List.of("deployment.queued", "deployment.in-progress", "deployment.verifying",
                "deployment.success"), eventsOf(good.id()));

        // a broken build of a newer commit: deployed, fails health, reverted to the last good tree
        LocalRepository.Commit b = commit(repo, local, "NEWS.md", "# News\n");
        pages.put("B-broken", page(b.sha(), false));
        Deployment broken = engine.request("staging", b, DeploymentKind.DEPLOY, List.of(artifact("B-broken", b)),
                "alice").get(10, TimeUnit.SECONDS);
        Deployment failed = awaitEnd(engine, broken.id());
        assertEquals(DeploymentState.FAILURE, failed.state());
        assertTrue(failed.reason().contains("the health check failed"), failed.reason());
        Deployment revert = await().atMost(Duration.ofSeconds(30)).until(() -> engine.view().deployments().values()
                .stream().filter(d -> broken.id().equals(d.revertOf()) && d.state() == DeploymentState.SUCCESS)
                .findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(DeploymentKind.REVERT, revert.kind());
        assertEquals(good.id(), revert.lastGood());
        assertEquals(a.sha(), revert.sha());
        LocalRepository.Commit head = local.head("environments/staging").orElseThrow();
        assertEquals(a.tree(), head.tree(), "the environment branch holds the last good tree again");
        assertEquals(revert.environmentCommit(), head.sha());
        assertTrue(head.message().startsWith("Revert staging to " + a.sha() + " (deployment " + revert.id() + ")"));
        assertTrue(head.message().contains("Monkeytown-Revert-Of: " + broken.id()));
        assertTrue(head.message().contains("Monkeytown-Last-Good: " + good.id()));
        assertEquals(3, history(repo, "environments/staging").size(), "one commit per deployment, linear");
        assertEquals(Path.of("releases/" + revert.id()), Files.readSymbolicLink(staging.resolve("current")));
        assertEquals(page(a.sha(), true), Files.readString(staging.resolve("current/index.html")));
        assertTrue(events.contains("environment.reverted staging"), events.toString());
        assertEquals(DeploymentState.INACTIVE, engine.view().deployment(good.id()).orElseThrow().state());
        assertEquals(revert.id(), engine.view().ledger("staging").lastGood().orElseThrow().id());
        await().atMost(Duration.ofSeconds(10)).until(() -> references.get("staging"),
                r -> List.of(List.of(manifest("B-good")), List.of(manifest("B-good"))).equals(r));

        // automatic deploys paused: not for the bad commit, until a newer one arrives
        EnvironmentStatus status = engine.view().status("staging");
        assertEquals(EnvironmentStatus.PauseReason.REVERTED, status.paused().reason());
        assertFalse(engine.headMoved("staging", b.sha()).get(10, TimeUnit.SECONDS));
        LocalRepository.Commit c = commit(repo, local, "NEWS.md", "# News\n\nfixed\n");
        assertTrue(engine.headMoved("staging", c.sha()).get(10, TimeUnit.SECONDS));
        assertFalse(engine.view().status("staging").isPaused());
    }

    @Test
    void productionWaitsForApprovalAndOnlyThenSeesItsSecrets(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        EnvironmentCatalog seeded = EnvironmentsFile.parse(a.sha(), local.file(a.sha(), EnvironmentsFile.PATH));
        Environment production = seeded.environment("production").orElseThrow();
        // the seeded command, plus a line that shows what the command's environment holds
        Environment showing = new Environment("production", "main", false, true, true, production.requires(),
                "printf '%s' \"${API_KEY:-absent}\" > \"$MONKEYTOWN_ENVIRONMENT_DIR/seen\"; echo \"key $API_KEY\"; "
                        + production.command(),
                production.health(), production.onFailure(), production.timeout());
        EnvironmentCatalog catalog = new EnvironmentCatalog(a.sha(), Map.of("production", showing), List.of());
        Path secrets = home.resolve("secrets/production.env");
        Files.createDirectories(secrets.getParent());
        Files.writeString(secrets, "API_KEY=" + SECRET + "\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
        DeployEngine engine = engine(home, repo, local, branch(), () -> catalog);
        pages.put("B-good", page(a.sha(), true));

        Deployment requested = engine.request("production", a, DeploymentKind.DEPLOY,
                List.of(artifact("B-good", a)), "alice").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.view().deployment(requested.id()).orElseThrow()
                .state() == DeploymentState.WAITING);
        Thread.sleep(300); // a tick or two: nothing runs while it waits
        assertFalse(Files.exists(home.resolve("environments/production/seen")), "nothing ran before approval");
        assertTrue(local.head("environments/production").isEmpty(), "nothing committed before approval");

        Deployment approved = engine.decide(requested.id(), true, "bob", "release 1").get(10, TimeUnit.SECONDS);
        assertEquals("bob", approved.approval().by());
        Deployment done = awaitEnd(engine, requested.id());
        assertEquals(DeploymentState.SUCCESS, done.state(), done.reason());
        assertEquals(SECRET, Files.readString(home.resolve("environments/production/seen")));
        String log = new String(Files.readAllBytes(home.resolve("logs/" + requested.id() + "-deploy.log")),
                StandardCharsets.UTF_8);
        assertTrue(log.contains("key ***"), log);
        assertFalse(log.contains(SECRET), "the secret is masked in the log");

        // a mode the owner does not keep to itself is refused, and nothing runs
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-r--r--"));
        Deployment second = engine.request("production", a, DeploymentKind.REDEPLOY, List.of(artifact("B-good", a)),
                "alice").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.view().deployment(second.id()).orElseThrow()
                .state() == DeploymentState.WAITING);
        engine.decide(second.id(), true, "bob", "again").get(10, TimeUnit.SECONDS);
        Deployment refused = awaitEnd(engine, second.id());
        assertEquals(DeploymentState.ERROR, refused.state());
        assertTrue(refused.reason().contains("secrets were refused"), refused.reason());
    }

    /**
     * What a deployment runs is what was declared when it was requested: environments.yaml changing while it waits
     * (for approval, for its turn) does not change its command, health check or onFailure.
     */
    @Test
    void aDeploymentRunsTheDeclarationItWasRequestedUnder(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        Environment seeded = EnvironmentsFile.parse(a.sha(), local.file(a.sha(), EnvironmentsFile.PATH))
                .environment("production").orElseThrow();
        Environment asRequested = new Environment("gated", "main", false, false, true, seeded.requires(),
                "echo requested > \"$MONKEYTOWN_ENVIRONMENT_DIR/ran\"", Optional.of("true"),
                Environment.OnFailure.ALERT, seeded.timeout());
        Environment changed = new Environment("gated", "main", false, false, true, seeded.requires(),
                "echo changed > \"$MONKEYTOWN_ENVIRONMENT_DIR/ran\"; exit 3", Optional.of("false"),
                Environment.OnFailure.REVERT, seeded.timeout());
        AtomicReference<EnvironmentCatalog> catalog = new AtomicReference<>(new EnvironmentCatalog(a.sha(), Map.of(
                "gated", asRequested), List.of()));
        DeployEngine engine = engine(home, repo, local, branch(), catalog::get);
        pages.put("B-good", page(a.sha(), true));

        Deployment requested = engine.request("gated", a, DeploymentKind.DEPLOY, List.of(artifact("B-good", a)),
                "alice").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.view().deployment(requested.id()).orElseThrow()
                .state() == DeploymentState.WAITING);
        catalog.set(new EnvironmentCatalog(a.sha(), Map.of("gated", changed), List.of()));
        engine.decide(requested.id(), true, "bob", "release 1").get(10, TimeUnit.SECONDS);

        Deployment done = awaitEnd(engine, requested.id());
        assertEquals(DeploymentState.SUCCESS, done.state(), done.reason());
        assertEquals("requested\n", Files.readString(home.resolve("environments/gated/ran")));
    }

    /**
     * Artifacts that cannot be fetched end the deployment before environments/<env> records it (a deploy that never ran
     * is not history, and nothing is reverted), and somebody is told.
     */
    @Test
    void aDeploymentWhoseArtifactsCannotBeFetchedIsNeverRecordedOnTheEnvironmentBranchAndAlerts(@TempDir Path home)
            throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        assertTrue(ExampleEnvironments.seed(repo, "main"));
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        EnvironmentCatalog catalog = EnvironmentsFile.parse(a.sha(), local.file(a.sha(), EnvironmentsFile.PATH));
        DeployEngine engine = engine(home, repo, local, branch(), () -> catalog);

        // no page stored for this build: the store cannot materialise it
        Deployment requested = engine.request("staging", a, DeploymentKind.DEPLOY,
                List.of(artifact("B-gone", a)), "alice").get(10, TimeUnit.SECONDS);
        Deployment ended = awaitEnd(engine, requested.id());

        assertEquals(DeploymentState.ERROR, ended.state(), ended.reason());
        assertTrue(ended.reason().contains("the artifacts could not be fetched"), ended.reason());
        assertEquals(Optional.empty(), local.head("environments/staging"), "the branch records only what ran");
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("alert.raised staging"));
        assertTrue(engine.view().deployments().values().stream().noneMatch(d -> d.kind() == DeploymentKind.REVERT));
    }

    @Test
    void aRestartMidDeploymentEndsItHonestly(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        Environment slow = new Environment("slow", "main", false, false, false, List.of(), "sleep 60",
                Optional.empty(), Environment.OnFailure.ALERT, Duration.ofMinutes(5));
        EnvironmentCatalog catalog = new EnvironmentCatalog(a.sha(), Map.of("slow", slow), List.of());
        GroupCommitStateBranch branch = branch();
        AtomicReference<LocalRunner> firstRunner = new AtomicReference<>();
        DeployEngine first = engine(home, repo, local, branch, () -> catalog, firstRunner);
        Deployment running = first.request("slow", a, DeploymentKind.DEPLOY, List.of(), "alice").get(10,
                TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.view().deployment(running.id()).orElseThrow()
                .state() == DeploymentState.IN_PROGRESS);
        first.close(); // the instance stops; its process is left behind as after a SIGKILL

        DeployEngine second = engine(home, repo, local, branch, () -> catalog);
        Deployment ended = awaitEnd(second, running.id());
        assertEquals(DeploymentState.ERROR, ended.state());
        assertTrue(ended.reason().contains("restarted"), ended.reason());
        assertTrue(events.contains("alert.raised slow"), "its onFailure applies: " + events);
    }

    @Test
    void anApprovalRecordedButNeverStartedIsStartedAfterARestart(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        Environment gated = new Environment("gated", "main", false, false, true, List.of(),
                "echo deployed > \"$MONKEYTOWN_ENVIRONMENT_DIR/done\"", Optional.empty(),
                Environment.OnFailure.ALERT, Duration.ofMinutes(1));
        EnvironmentCatalog catalog = new EnvironmentCatalog(a.sha(), Map.of("gated", gated), List.of());
        GroupCommitStateBranch branch = branch();
        // what an instance that stopped right after recording the approval leaves on the branch
        java.time.Instant at = java.time.Instant.now();
        Deployment approved = Deployment.queued("01M96F0000000000000000000A", "gated", a.sha(), a.tree(),
                DeploymentKind.DEPLOY, List.of(), "alice", at).to(DeploymentState.WAITING, at, "waiting")
                .approved(new dev.monkeytown.deploy.deployments.Approval(true, "bob", "go", at));
        branch.apply(new dev.monkeytown.state.Change("recorded before the stop",
                dev.monkeytown.state.Actor.user("bob"), ws -> new DeploymentBook(json).write(ws, approved, -1)))
                .await().indefinitely();

        DeployEngine engine = engine(home, repo, local, branch, () -> catalog);
        Deployment done = awaitEnd(engine, approved.id());
        assertEquals(DeploymentState.SUCCESS, done.state(), done.reason());
        assertEquals("bob", done.approval().by());
        assertEquals("deployed\n", Files.readString(home.resolve("environments/gated/done")));
    }

    /**
     * Records the local backend left (waiting for a local operator's approval, a local step in progress) cannot go on
     * when deploy-service starts in GitHub mode on the same state: GitHub approves there and its runner never had the
     * step. They end at startup, saying so, instead of holding their environment for ever.
     */
    @Test
    void recordsTheLocalBackendLeftEndAtStartupInGitHubMode(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        Environment gated = new Environment("gated", "main", false, false, true, List.of(), "true", Optional.empty(),
                Environment.OnFailure.ALERT, Duration.ofMinutes(1));
        // onFailure: revert, with a last good to revert to: the local runner's environment was never GitHub's, so the
        // interrupted local step must not be reverted on GitHub
        Environment slow = new Environment("slow", "main", false, false, false, List.of(), "sleep 60",
                Optional.empty(), Environment.OnFailure.REVERT, Duration.ofMinutes(1));
        Environment signed = new Environment("signed", "main", false, false, true, List.of(), "true",
                Optional.empty(), Environment.OnFailure.ALERT, Duration.ofMinutes(1));
        EnvironmentCatalog catalog = new EnvironmentCatalog(a.sha(), Map.of("gated", gated, "slow", slow, "signed",
                signed), List.of());
        GroupCommitStateBranch branch = branch();
        java.time.Instant at = java.time.Instant.now();
        Deployment good = Deployment.queued("01M96F00000000000000000009", "slow", a.sha(), a.tree(),
                DeploymentKind.DEPLOY, List.of(), "alice", at).committed(a.sha(), at)
                .to(DeploymentState.IN_PROGRESS, at, "running").to(DeploymentState.SUCCESS, at, "healthy");
        Deployment approvedNotLaunched = Deployment.queued("01M96F0000000000000000000D", "signed", a.sha(), a.tree(),
                DeploymentKind.DEPLOY, List.of(), "alice", at).to(DeploymentState.WAITING, at, "waiting")
                .approved(new dev.monkeytown.deploy.deployments.Approval(true, "bob", "go", at));
        Deployment waiting = Deployment.queued("01M96F0000000000000000000B", "gated", a.sha(), a.tree(),
                DeploymentKind.DEPLOY, List.of(), "alice", at).to(DeploymentState.WAITING, at,
                        "waiting for an"
                                + " operator");
        Deployment running = Deployment.queued("01M96F0000000000000000000C", "slow", a.sha(), a.tree(),
                DeploymentKind.DEPLOY, List.of(), "alice", at).committed(a.sha(), at)
                .to(DeploymentState.IN_PROGRESS, at, "running sleep 60");
        for (Deployment left : List.of(good, waiting, running, approvedNotLaunched)) {
            branch.apply(new dev.monkeytown.state.Change("left by the local backend",
                    dev.monkeytown.state.Actor.user("alice"), ws -> new DeploymentBook(json).write(ws, left, -1)))
                    .await().indefinitely();
        }
        GitHubDouble double_ = GitHubDouble.start();
        try {
            GitHubAccess access = GitHubAccess.connect("ghp_deploy-engine-test", GitHubAccessOptions.forApi(
                    double_.apiUrl(), double_.login()), new SimpleMeterRegistry());
            DeployEngine onGitHub = engine(home, repo, local, branch, () -> catalog, new AtomicReference<>(),
                    Optional.of(new GitHubDeploys(access, new GitHubDeploys.Settings("acme/town",
                            Duration.ofHours(1)))));

            Deployment unapproved = awaitEnd(onGitHub, waiting.id());
            assertEquals(DeploymentState.INACTIVE, unapproved.state(), unapproved.reason());
            assertTrue(unapproved.reason().contains("GitHub"), unapproved.reason());
            Deployment interrupted = awaitEnd(onGitHub, running.id());
            assertEquals(DeploymentState.ERROR, interrupted.state(), interrupted.reason());
            assertTrue(interrupted.reason().contains("local runner"), interrupted.reason());
            // give a wrongly queued revert the time to start
            Thread.sleep(500);
            assertEquals(List.of(), onGitHub.view().deployments().values().stream()
                    .filter(d -> d.kind() == DeploymentKind.REVERT).map(Deployment::id).toList(), "no revert");
            assertEquals(Optional.empty(), local.head("environments/slow"), "no commit on environments/slow");
            assertFalse(onGitHub.view().status("slow").isPaused(), "slow is not paused");
            assertEquals(List.of(), events.stream().filter(e -> e.startsWith("environment.reverted")
                    || e.startsWith("deployment.paused")).toList(), "nothing reverted, nothing paused");
            assertEquals(DeploymentState.SUCCESS, onGitHub.view().deployment(good.id()).orElseThrow().state());
            Deployment dropped = awaitEnd(onGitHub, approvedNotLaunched.id());
            assertEquals(DeploymentState.INACTIVE, dropped.state(), dropped.reason());
            assertFalse(dropped.reason().contains("waiting for an operator's approval"), dropped.reason());
            assertTrue(dropped.reason().contains("approved by bob"), dropped.reason());
            assertTrue(onGitHub.view().ledger("gated").active().isEmpty(), "gated is free again");
            assertTrue(onGitHub.view().ledger("slow").active().isEmpty(), "slow is free again");
        } finally {
            double_.close();
        }
    }

    /**
     * The clean-up of what the local backend left writes records; a write that fails then (a commit timeout, an
     * ambiguous 502, being fenced) must not leave the service restoring for ever: it is ready, and the records end
     * once the state branch takes writes again.
     */
    @Test
    void aFailingFirstWriteAfterTheModeSwitchStillLeavesAReadyServiceAndEndsTheRecordsLater(@TempDir Path home)
            throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        Environment slow = new Environment("slow", "main", false, false, false, List.of(), "sleep 60",
                Optional.empty(), Environment.OnFailure.ALERT, Duration.ofMinutes(1));
        EnvironmentCatalog catalog = new EnvironmentCatalog(a.sha(), Map.of("slow", slow), List.of());
        FailingWrites backend = new FailingWrites(new InMemoryRepository().branch("deploy-service"));
        GroupCommitStateBranch branch = new GroupCommitStateBranch("deploy-service", backend,
                StateBranchOptions.defaults().withUnavailableWait(Duration.ofMillis(300), Duration.ofMillis(50),
                        Duration.ofMillis(100)));
        java.time.Instant at = java.time.Instant.now();
        Deployment running = Deployment.queued("01M96F0000000000000000000C", "slow", a.sha(), a.tree(),
                DeploymentKind.DEPLOY, List.of(), "alice", at).committed(a.sha(), at)
                .to(DeploymentState.IN_PROGRESS, at, "running sleep 60");
        branch.apply(new dev.monkeytown.state.Change("left by the local backend",
                dev.monkeytown.state.Actor.user("alice"), ws -> new DeploymentBook(json).write(ws, running, -1)))
                .await().indefinitely();
        backend.failUntil(java.time.Instant.now().plusMillis(1_500));
        GitHubDouble double_ = GitHubDouble.start();
        try {
            GitHubAccess access = GitHubAccess.connect("ghp_deploy-engine-test", GitHubAccessOptions.forApi(
                    double_.apiUrl(), double_.login()), new SimpleMeterRegistry());
            DeployEngine onGitHub = engine(home, repo, local, branch, () -> catalog, new AtomicReference<>(),
                    Optional.of(new GitHubDeploys(access, new GitHubDeploys.Settings("acme/town",
                            Duration.ofHours(1)))));
            assertTrue(onGitHub.restored().isDone() && !onGitHub.restored().isCompletedExceptionally(), "ready");
            Deployment interrupted = awaitEnd(onGitHub, running.id());
            assertEquals(DeploymentState.ERROR, interrupted.state(), interrupted.reason());
            assertTrue(backend.refused() > 0, "the first writes were refused");
        } finally {
            double_.close();
        }
    }

    /**
     * A revert runs the last good deployment's declared command and health, not the current ones: a command that
     * changed to a script only the failed tree has would fail in the old tree and miss the RTO.
     */
    @Test
    void aRevertRunsTheCommandTheLastGoodDeploymentRanNotTheCurrentOne(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = commit(repo, local, "deploy-v1.sh",
                "echo v1 > \"$MONKEYTOWN_ENVIRONMENT_DIR/served\"\n");
        AtomicReference<EnvironmentCatalog> catalog = new AtomicReference<>(new EnvironmentCatalog(a.sha(), Map.of(
                "app", new Environment("app", "main", false, false, false, List.of(), "sh deploy-v1.sh",
                        Optional.empty(), Environment.OnFailure.REVERT, Duration.ofMinutes(1))),
                List.of()));
        DeployEngine engine = engine(home, repo, local, branch(), catalog::get);
        Deployment good = awaitEnd(engine, engine.request("app", a, DeploymentKind.DEPLOY, List.of(), "alice")
                .get(10, TimeUnit.SECONDS).id());
        assertEquals(DeploymentState.SUCCESS, good.state(), good.reason());

        // the new commit renames the deploy script and breaks it; the declaration follows the new name
        LocalRepository.Commit b = commit(repo, local, "deploy-v2.sh", "exit 1\n");
        catalog.set(new EnvironmentCatalog(b.sha(), Map.of("app", new Environment("app", "main", false, false, false,
                List.of(), "sh deploy-v2.sh", Optional.empty(), Environment.OnFailure.REVERT,
                Duration.ofMinutes(1))), List.of()));
        Deployment broken = engine.request("app", b, DeploymentKind.DEPLOY, List.of(), "alice")
                .get(10, TimeUnit.SECONDS);
        assertEquals(DeploymentState.FAILURE, awaitEnd(engine, broken.id()).state());
        String revertId = await().atMost(Duration.ofSeconds(30)).until(() -> engine.view().deployment(broken.id())
                .orElseThrow().revertedBy(), r -> r != null);
        Deployment revert = awaitEnd(engine, revertId);
        assertEquals(DeploymentState.SUCCESS, revert.state(), revert.reason());
        assertEquals("sh deploy-v1.sh", revert.declared().command());
        assertEquals("revert", revert.declared().onFailure());
        assertEquals(EnvironmentStatus.PauseReason.REVERTED, engine.view().status("app").paused().reason());
        assertEquals("v1\n", Files.readString(home.resolve("environments/app/served")));
    }

    /**
     * A record whose pinned onFailure this version does not know (written by a newer one, or by hand) must not stop the
     * loop: it runs, with the environment's current onFailure in its place.
     */
    @Test
    void anUnknownPinnedOnFailureDoesNotStopTheLoop(@TempDir Path home) throws Exception {
        Path repo = home.resolve("repo");
        Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call().close();
        ExampleEnvironments.seed(repo, "main");
        LocalRepository local = new LocalRepository(repo);
        closing.add(local);
        LocalRepository.Commit a = local.head("main").orElseThrow();
        Environment plain = new Environment("plain", "main", false, false, false, List.of(),
                "echo ran > \"$MONKEYTOWN_ENVIRONMENT_DIR/ran\"", Optional.empty(), Environment.OnFailure.ALERT,
                Duration.ofMinutes(1));
        EnvironmentCatalog catalog = new EnvironmentCatalog(a.sha(), Map.of("plain", plain), List.of());
        GroupCommitStateBranch branch = branch();
        java.time.Instant at = java.time.Instant.now();
        Deployment handWritten = Deployment.queued("01M96F0000000000000000000E", "plain", a.sha(), a.tree(),
                DeploymentKind.DEPLOY, List.of(), "alice", at).pinned(
                        new Deployment.Declared(
                                "echo ran > \"$MONKEYTOWN_ENVIRONMENT_DIR/ran\"", null, "rollback-and-page"));
        branch.apply(new dev.monkeytown.state.Change("written by a newer version",
                dev.monkeytown.state.Actor.user("alice"), ws -> new DeploymentBook(json).write(ws, handWritten, -1)))
                .await().indefinitely();

        DeployEngine engine = engine(home, repo, local, branch, () -> catalog);
        Deployment done = awaitEnd(engine, handWritten.id());
        assertEquals(DeploymentState.SUCCESS, done.state(), done.reason());
        assertEquals("ran\n", Files.readString(home.resolve("environments/plain/ran")));
    }

    /**
     * The in-memory backend with a window in which every commit is refused as GitHub's backend classifies a 502 or a
     * timeout: retryable, nothing written.
     */
    private static final class FailingWrites implements dev.monkeytown.state.spi.BranchBackend {
        private final dev.monkeytown.state.spi.BranchBackend real;
        private volatile java.time.Instant failUntil = java.time.Instant.MIN;
        private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

        FailingWrites(dev.monkeytown.state.spi.BranchBackend real) {
            this.real = real;
        }

        void failUntil(java.time.Instant until) {
            failUntil = until;
        }

        int refused() {
            return refused.get();
        }

        @Override
        public String ref() {
            return real.ref();
        }

        @Override
        public boolean existedBefore() throws dev.monkeytown.state.spi.BackendException {
            return real.existedBefore();
        }

        @Override
        public Optional<String> readHead() throws dev.monkeytown.state.spi.BackendException {
            return real.readHead();
        }

        @Override
        public Map<String, String> readTree(String commitId) throws dev.monkeytown.state.spi.BackendException {
            return real.readTree(commitId);
        }

        @Override
        public byte[] readBlob(String blobId) throws dev.monkeytown.state.spi.BackendException {
            return real.readBlob(blobId);
        }

        @Override
        public dev.monkeytown.state.spi.History history(String head, Optional<String> base, int limit)
                throws dev.monkeytown.state.spi.BackendException {
            return real.history(head, base, limit);
        }

        @Override
        public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, java.util.Set<String> deletes,
                dev.monkeytown.state.spi.CommitMetadata metadata) throws dev.monkeytown.state.spi.HeadMovedException,
                dev.monkeytown.state.spi.AmbiguousCommitException, dev.monkeytown.state.spi.BackendException {
            if (java.time.Instant.now().isBefore(failUntil)) {
                refused.incrementAndGet();
                throw new dev.monkeytown.state.spi.BackendException("HTTP 502 Bad Gateway (nothing written)", null,
                        true);
            }
            return real.commit(expectedHead, puts, deletes, metadata);
        }
    }

    private DeployEngine engine(Path home, Path repo, LocalRepository local, GroupCommitStateBranch branch,
            java.util.function.Supplier<EnvironmentCatalog> catalog) throws Exception {
        return engine(home, repo, local, branch, catalog, new AtomicReference<>());
    }

    private DeployEngine engine(Path home, Path repo, LocalRepository local, GroupCommitStateBranch branch,
            java.util.function.Supplier<EnvironmentCatalog> catalog, AtomicReference<LocalRunner> runnerRef)
            throws Exception {
        return engine(home, repo, local, branch, catalog, runnerRef, Optional.empty());
    }

    private DeployEngine engine(Path home, Path repo, LocalRepository local, GroupCommitStateBranch branch,
            java.util.function.Supplier<EnvironmentCatalog> catalog, AtomicReference<LocalRunner> runnerRef,
            Optional<GitHubDeploys> github) throws Exception {
        LocalRunner runner = new LocalRunner(LocalRunner.Settings.defaults(repo, home.resolve("work"),
                home.resolve("logs")).withSandbox(Sandbox.choose(Sandbox.Mode.NONE, List.of(), List.of()))
                .withKillGrace(Duration.ofSeconds(1)));
        runnerRef.set(runner);
        closing.add(runner);
        DeployEngine engine = new DeployEngine(new DeployEngine.Settings("deploy-service",
                home.resolve("environments"), home.resolve("artifacts"), Duration.ofMillis(50)), branch,
                new DeploymentBook(json), catalog, runner, local, store,
                new SecretsFile(home.resolve("secrets"),
                        true /* the approval rule is tested here; confinement in SecretsAndRunsTest */),
                (environment, current, lastGood) -> references.put(environment, List.of(current, lastGood)),
                new DeployAnnouncer() {
                    @Override
                    public void publish(String type, String subject, Object data) {
                        events.add(type + " " + subject);
                    }

                    @Override
                    public void ended(Deployment deployment) {
                    }

                    @Override
                    public void restored(Deployment revert, Duration restore) {
                        events.add("restored " + revert.id());
                    }
                }, Clock.systemUTC(), github);
        closing.add(0, engine);
        engine.start();
        engine.restored().get(10, TimeUnit.SECONDS);
        return engine;
    }

    private static GroupCommitStateBranch branch() {
        return new GroupCommitStateBranch("deploy-service", new InMemoryRepository().branch("deploy-service"),
                StateBranchOptions.defaults());
    }

    private List<String> eventsOf(String id) {
        return events.stream().filter(e -> e.endsWith(" " + id)).map(e -> e.substring(0, e.indexOf(' '))).toList();
    }

    private static Deployment awaitEnd(DeployEngine engine, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> engine.view().deployment(id).orElseThrow(),
                d -> d.state().isOutcome() || d.state() == DeploymentState.INACTIVE);
    }

    private static Artifact artifact(String buildId, LocalRepository.Commit commit) {
        return new Artifact("site", buildId, commit.sha(), commit.tree(), List.of(), manifest(buildId));
    }

    private static String manifest(String buildId) {
        return "builds/site@sha256:" + (buildId + "0".repeat(64)).substring(0, 64);
    }

    /** The example site build's page; a broken build's is cut off before its list is closed. */
    static String page(String sha, boolean whole) {
        String page = "<!doctype html>\n<title>Monkeytown at " + sha + "</title>\n<h1>Monkeytown</h1>\n<ul>\n"
                + "  <li>README.md — Monkeytown</li>\n";
        return whole ? page + "</ul>\n" : page;
    }

    private static LocalRepository.Commit commit(Path repo, LocalRepository local, String file, String content)
            throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            Files.writeString(repo.resolve(file), content);
            git.add().addFilepattern(file).call();
            RevCommit commit = git.commit().setMessage("change " + file).setAuthor("t", "t@x").setCommitter("t", "t@x")
                    .call();
            return local.commit(commit.name()).orElseThrow();
        }
    }

    private static List<String> history(Path repo, String branch) throws Exception {
        List<String> shas = new ArrayList<>();
        try (Git git = Git.open(repo.toFile())) {
            git.log().add(git.getRepository().resolve(branch)).call().forEach(c -> shas.add(c.name()));
        }
        return shas;
    }
}
