package dev.monkeytown.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * build-service killed with SIGKILL while a build's command runs and a second build waits behind it, then started
 * again through {@code ./monkeytown}: the running attempt is settled as {@code infra} (its process died with the
 * service) and retried as the pipeline allows, the command the killed service left running is stopped, the waiting
 * build runs exactly once, and the outputs stored are those of the attempt that succeeded.
 *
 * <p>
 * The pipeline's command writes every start to a ledger outside the repository (how "exactly once" is checked) and
 * waits for a gate file the test creates only after the restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildRestartIT {

    private static final int PORT_BASE = 18580;
    private static final Duration WAIT = Duration.ofSeconds(60);

    static Path data;
    static Path gate;
    static Path ledger;
    static Launcher launcher;
    static InternalApi builds;

    static String running;
    static String waiting;
    static List<ProcessHandle> orphans = List.of();

    @BeforeAll
    static void seedRepositoryWithOwnPipeline() throws Exception {
        data = Path.of("target", "build-restart-it").toAbsolutePath();
        LocalGit.deleteRecursively(data);
        Path home = data.resolve("home");
        gate = data.resolve("slow-gate");
        ledger = data.resolve("build-starts.txt");
        Files.createDirectories(home);
        // manual builds only (no branches): the seeding commit queues nothing
        LocalGit.seed(home, "Pipelines of the build restart test", Map.of(".monkeytown/builds.yaml", """
                pipelines:
                  slow:
                    timeout: 5m
                    outputs: ["out/**"]
                    retry: {limit: 2, on: [infra], backoff: 1s}
                    command: >-
                      echo "$MONKEYTOWN_BUILD_ID $MONKEYTOWN_ATTEMPT" >> '%1$s' &&
                      while [ ! -e '%2$s' ]; do sleep 0.2; done &&
                      mkdir -p out && echo "attempt $MONKEYTOWN_ATTEMPT of $MONKEYTOWN_BUILD_ID" > out/result.txt
                """.formatted(ledger, gate)));
        // the command writes its ledger outside its checkout, which a sandboxed build may only do where allowed
        launcher = new Launcher(home, PORT_BASE, Map.of("MONKEYTOWN_BUILD_LOCAL_WRITABLE_PATHS", data.toString()));
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
    void twoUpsAtOnceOnOneDataDirectoryStartOneSuite() throws Exception {
        CompletableFuture<Launcher.Result> other = CompletableFuture.supplyAsync(() -> {
            try {
                return launcher.run("up");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Launcher.Result up = launcher.run("up");
        Launcher.Result second = other.get(5, TimeUnit.MINUTES);
        assertEquals(0, up.exitCode(), up.output());
        assertEquals(0, second.exitCode(), second.output());
        assertTrue((up.output() + second.output()).contains("already running"), up.output() + second.output());
        // six processes, each the one its pid file names
        List<ProcessHandle> suite = launcher.processesOfThisSuite();
        assertEquals(Launcher.SERVICES.size(), suite.size(), () -> "processes of this suite: " + suite);
        for (String service : Launcher.SERVICES) {
            long pid = launcher.recordedPid(service).orElseThrow();
            assertTrue(suite.stream().anyMatch(p -> p.pid() == pid), () -> service + " runs as its pid file says");
        }
    }

    @Test
    @Order(2)
    void queueTwoBuildsWhileTheSuiteIsUp() throws Exception {
        builds = InternalApi.of(launcher, "build-service");

        running = builds.post("/api/v1/pipelines/slow/builds", "{}", 202).path("id").asText();
        await().atMost(WAIT).until(() -> state(running), "running"::equals);
        // one build per (pipeline, branch) at a time: the second waits behind the first
        waiting = builds.post("/api/v1/pipelines/slow/builds", "{}", 202).path("id").asText();
        assertEquals("queued", state(waiting));
        assertEquals(List.of(running + " 1"), starts());
    }

    @Test
    @Order(3)
    void killBuildServiceWithSigkillAndStartTheSuiteAgain() throws Exception {
        ProcessHandle service = ProcessHandle.of(launcher.recordedPid("build-service").orElseThrow()).orElseThrow();
        List<ProcessHandle> commandTree = service.descendants().toList();
        assertTrue(commandTree.stream().anyMatch(p -> commandLine(p).contains(gate.toString())),
                () -> "the first build's command must still be running at the kill: " + commandTree);

        service.destroyForcibly(); // SIGKILL on POSIX: no shutdown hook, nothing recorded
        service.onExit().get(20, TimeUnit.SECONDS);
        orphans = commandTree.stream().filter(ProcessHandle::isAlive).toList();

        Launcher.Result down = launcher.run("down");
        assertEquals(0, down.exitCode(), down.output());
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        assertNotEquals(service.pid(), launcher.recordedPid("build-service").orElseThrow());
        // the new service's runner found the process marks and stopped what the killed one left running
        await().atMost(Duration.ofSeconds(20)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    @Order(4)
    void theKilledAttemptIsSettledAsInfraAndRetried() throws Exception {
        await().atMost(WAIT).until(this::starts, s -> s.contains(running + " 2"));
        JsonNode build = builds.get("/api/v1/builds/" + running);
        JsonNode first = build.path("attempts").path(0);
        assertEquals("failed", first.path("result").asText(), build.toString());
        assertEquals("infra", first.path("failureClass").asText(), build.toString());
        assertTrue(first.hasNonNull("finishedAt"), build.toString());
    }

    @Test
    @Order(5)
    void bothBuildsFinishWithEachAttemptStartedExactlyOnce() throws Exception {
        Files.writeString(gate, "open");
        for (String id : List.of(running, waiting)) {
            await().atMost(WAIT).until(() -> state(id), "succeeded"::equals);
        }
        assertEquals(List.of(running + " 1", running + " 2", waiting + " 1"), starts(),
                "every attempt starts exactly once, the waiting build after the retried one");
        assertEquals(2, builds.get("/api/v1/builds/" + running).path("attempts").size());
        assertEquals(1, builds.get("/api/v1/builds/" + waiting).path("attempts").size());
    }

    @Test
    @Order(6)
    void theStoredOutputIsTheSucceededAttemptsOne() throws Exception {
        JsonNode build = builds.get("/api/v1/builds/" + running);
        List<JsonNode> outputs = StreamSupport.stream(build.path("outputs").spliterator(), false).toList();
        assertEquals(1, outputs.size(), build.toString());
        assertEquals("out/result.txt", outputs.get(0).path("path").asText(), build.toString());
        String digest = outputs.get(0).path("digest").asText();
        InternalApi registry = InternalApi.of(launcher, "artifact-service");
        String stored = new String(registry.bytes("/v2/builds/slow/blobs/" + digest), StandardCharsets.UTF_8);
        assertEquals("attempt 2 of " + running + "\n", stored);
    }

    private String state(String id) throws IOException, InterruptedException {
        return builds.get("/api/v1/builds/" + id).path("state").asText();
    }

    /** Every start of the pipeline's command, in order, as "build-id attempt". */
    private List<String> starts() throws IOException {
        return Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }
}
