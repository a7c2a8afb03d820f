package dev.monkeytown.system;

import static dev.monkeytown.system.LocalGit.git;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy-service killed with SIGKILL while a deployment's command runs, then started again through
 * {@code ./monkeytown}: the deployment is not lost but ends {@code error} (whether its command finished is unknown),
 * the command the killed service left running is stopped, {@code onFailure: revert} reverts it exactly once to the last
 * good deployment, and {@code environments/<env>} holds one commit per deployment — none doubled by the restart — with
 * the last good tree at its head.
 *
 * <p>
 * The environment's command writes every start to a ledger outside the repository and, while a hold file exists,
 * waits for a gate file the test creates only after the restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployRestartIT {

    private static final int PORT_BASE = 18680;
    private static final Duration WAIT = Duration.ofSeconds(60);

    static Path data;
    static Path hold;
    static Path gate;
    static Path ledger;
    static Path repo;
    static Launcher launcher;
    static InternalApi builds;
    static InternalApi deploys;

    static String good;
    static String killed;
    static List<ProcessHandle> orphans = List.of();

    @BeforeAll
    static void seedRepositoryWithOwnPipelineAndEnvironment() throws Exception {
        data = Path.of("target", "deploy-restart-it").toAbsolutePath();
        LocalGit.deleteRecursively(data);
        Path home = data.resolve("home");
        hold = data.resolve("hold");
        gate = data.resolve("gate");
        ledger = data.resolve("deploy-starts.txt");
        Files.createDirectories(home);
        repo = LocalGit.seed(home, "Pipeline and environment of the deploy restart test", Map.of(
                "version.txt", "1\n",
                ".monkeytown/builds.yaml", """
                        pipelines:
                          app:
                            command: "mkdir -p out && cp version.txt out/version.txt"
                            outputs: ["out/**"]
                        """,
                ".monkeytown/environments.yaml", """
                        environments:
                          stage:
                            branch: main
                            autoDeploy: false
                            requires: [app]
                            onFailure: revert
                            health: "test -s \\"$MONKEYTOWN_ENVIRONMENT_DIR/version.txt\\""
                            command: >-
                              echo "$MONKEYTOWN_DEPLOYMENT_ID" >> '%1$s' &&
                              if [ -e '%2$s' ]; then while [ ! -e '%3$s' ]; do sleep 0.2; done; fi &&
                              cp "$MONKEYTOWN_ARTIFACTS"/app/out/version.txt "$MONKEYTOWN_ENVIRONMENT_DIR"/version.txt
                        """.formatted(ledger, hold, gate)));
        launcher = new Launcher(home, PORT_BASE, Map.of("MONKEYTOWN_DEPLOY_LOCAL_WRITABLE_PATHS", data.toString()));
    }

    @AfterAll
    static void leaveNothingRunning() throws Exception {
        if (launcher != null) {
            launcher.run("down");
            launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
        }
        for (ProcessHandle orphan : orphans) {
            List<ProcessHandle> children = orphan.descendants().toList();
            orphan.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
        if (gate != null) {
            ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(gate.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Order(1)
    void deployOnceThenStartASecondDeploymentThatHangs() throws Exception {
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        builds = InternalApi.of(launcher, "build-service");
        deploys = InternalApi.of(launcher, "deploy-service");

        good = deploy(builtHead());
        await().atMost(WAIT).until(() -> state(good), "success"::equals);

        Files.writeString(repo.resolve("version.txt"), "2\n");
        git(repo, "commit", "-q", "-am", "Version 2");
        String second = builtHead();
        Files.writeString(hold, "hold");
        killed = deploy(second);
        await().atMost(WAIT).until(() -> state(killed), "in_progress"::equals);
        await().atMost(WAIT).until(DeployRestartIT::starts, s -> s.contains(killed));
    }

    @Test
    @Order(2)
    void killDeployServiceWithSigkillAndStartTheSuiteAgain() throws Exception {
        ProcessHandle service = ProcessHandle.of(launcher.recordedPid("deploy-service").orElseThrow()).orElseThrow();
        List<ProcessHandle> commandTree = service.descendants().toList();
        assertTrue(commandTree.stream().anyMatch(p -> commandLine(p).contains(gate.toString())),
                () -> "the second deployment's command must still be running at the kill: " + commandTree);

        service.destroyForcibly(); // SIGKILL on POSIX: no shutdown hook, nothing recorded
        service.onExit().get(20, TimeUnit.SECONDS);
        orphans = commandTree.stream().filter(ProcessHandle::isAlive).toList();

        Launcher.Result down = launcher.run("down");
        assertEquals(0, down.exitCode(), down.output());
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        assertNotEquals(service.pid(), launcher.recordedPid("deploy-service").orElseThrow());
        await().atMost(Duration.ofSeconds(20)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    @Order(3)
    void theKilledDeploymentEndsErrorAndIsRevertedOnceToTheLastGood() throws Exception {
        JsonNode deployment = await().atMost(WAIT).until(() -> deploys.get("/api/v1/deployments/" + killed),
                d -> d.path("state").asText().equals("error"));
        assertTrue(deployment.path("reason").asText().contains("restarted"), deployment.toString());

        String revert = await().atMost(WAIT).until(() -> deployment(killed).path("revertedBy").asText(""),
                id -> !id.isEmpty());
        Files.writeString(gate, "open");
        JsonNode reverted = await().atMost(WAIT).until(() -> deployment(revert),
                d -> d.path("state").asText().equals("success"));
        assertEquals("revert", reverted.path("kind").asText(), reverted.toString());
        assertEquals(killed, reverted.path("revertOf").asText(), reverted.toString());
        assertEquals(good, reverted.path("lastGood").asText(), reverted.toString());
        assertEquals(deployment(good).path("tree").asText(), reverted.path("tree").asText());

        assertEquals(List.of(good, killed, revert), starts(), "each deployment's command started exactly once");
        assertEquals("1\n", Files.readString(launcher.home().resolve("environments/stage/version.txt")));
        JsonNode environment = deploys.get("/api/v1/environments/stage");
        assertTrue(environment.path("paused").asBoolean(), environment.toString());
        assertEquals(revert, environment.at("/lastGood/id").asText(), environment.toString());
    }

    @Test
    @Order(4)
    void theEnvironmentBranchHoldsOneCommitPerDeploymentWithTheLastGoodTreeOnTop() throws Exception {
        List<String> commits = git(repo, "log", "--format=%T %(trailers:key=Monkeytown-Deployment,valueonly,separator=)",
                "environments/stage").lines().map(String::strip).toList();
        String revert = deployment(killed).path("revertedBy").asText();
        assertEquals(List.of(revert, killed, good), commits.stream().map(c -> c.substring(c.indexOf(' ') + 1)).toList(),
                () -> "one commit per deployment, newest first: " + commits);
        assertEquals(deployment(good).path("tree").asText(), commits.get(0).substring(0, commits.get(0).indexOf(' ')));
    }

    private static String builtHead() throws IOException, InterruptedException {
        String id = builds.post("/api/v1/pipelines/app/builds", "{}", 202).path("id").asText();
        await().atMost(WAIT).until(() -> builds.get("/api/v1/builds/" + id).path("state").asText(),
                "succeeded"::equals);
        return builds.get("/api/v1/builds/" + id).path("sha").asText();
    }

    private static String deploy(String sha) throws IOException, InterruptedException {
        return deploys.post("/api/v1/environments/stage/deployments", "{\"sha\": \"" + sha + "\"}", 202).path("id")
                .asText();
    }

    private static JsonNode deployment(String id) throws IOException, InterruptedException {
        return deploys.get("/api/v1/deployments/" + id);
    }

    private static String state(String id) throws IOException, InterruptedException {
        return deployment(id).path("state").asText();
    }

    /** Every start of the environment's command, in order, by deployment id. */
    private static List<String> starts() throws IOException {
        return Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }
}
