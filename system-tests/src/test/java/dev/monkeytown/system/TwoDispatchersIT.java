package dev.monkeytown.system;

import static dev.monkeytown.system.LocalGit.deleteRecursively;
import static dev.monkeytown.system.LocalGit.git;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A second agent-dispatcher process started on the same repository while the first one works, as a rolling update
 * does: the newcomer takes the state branch over, the old one steps down (not ready, refuses work, stops the agent it
 * was running), and across the handover no run is started twice and no acknowledged run is lost.
 */
class TwoDispatchersIT {

    private static final int PORT_BASE = 18380;
    private static final int SECOND_PORT = 18390;
    private static final int SECOND_MANAGEMENT_PORT = 19390;
    private static final Duration RUN_WAIT = Duration.ofSeconds(45);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Path data;
    static Path ledger;
    static Path gate;
    static Launcher launcher;
    static Process second;

    @BeforeAll
    static void seedRepository() throws Exception {
        data = Path.of("target", "two-dispatchers-it").toAbsolutePath();
        deleteRecursively(data);
        Path home = data.resolve("home");
        ledger = data.resolve("agent-starts.txt");
        gate = data.resolve("never-opened");
        Files.createDirectories(home);
        Path repo = home.resolve("repo");
        git(home, "init", "-q", "-b", "main", repo.toString());
        Files.createDirectories(repo.resolve(".monkeytown"));
        Files.writeString(repo.resolve(".monkeytown/agents.yaml"), """
                agents:
                  slow:
                    timeout: 5m
                    command: >-
                      echo "slow $MONKEYTOWN_RUN_ID" >> '%1$s' &&
                      while [ ! -e '%2$s' ]; do sleep 0.2; done
                  quick:
                    command: >-
                      echo "quick $MONKEYTOWN_RUN_ID" >> '%1$s' &&
                      echo hi > quick-$MONKEYTOWN_RUN_ID.txt && git add . && git commit -q -m quick
                """.formatted(ledger, gate));
        git(repo, "add", ".monkeytown/agents.yaml");
        git(repo, "commit", "-q", "-m", "Agents of the two dispatchers test");
        // the agents write their ledger outside their checkout, which a sandboxed agent may only do where allowed
        launcher = new Launcher(home, PORT_BASE, Map.of("MONKEYTOWN_DISPATCHER_LOCAL_WRITABLE_PATHS", data.toString()));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (second != null) {
            second.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        if (launcher != null) {
            launcher.run("down");
            launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
        }
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(gate.toString()))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theNewcomerTakesOverAndNoRunIsStartedTwiceOrLost() throws Exception {
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        String token = Files.readString(launcher.home().resolve("internal-token")).trim();
        URI first = URI.create("http://localhost:" + launcher.port("agent-dispatcher"));
        URI newcomer = URI.create("http://localhost:" + SECOND_PORT);
        URI firstManagement = URI.create("http://localhost:" + launcher.managementPort("agent-dispatcher"));
        URI newcomerManagement = URI.create("http://localhost:" + SECOND_MANAGEMENT_PORT);

        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            acknowledged.add(queue(first, token, "quick"));
        }
        String slow = queue(first, token, "slow");
        acknowledged.add(slow);
        await().atMost(RUN_WAIT).until(() -> state(first, token, slow).equals("running"));
        for (String id : acknowledged.subList(0, 3)) {
            await().atMost(RUN_WAIT).until(() -> state(first, token, id).equals("succeeded"));
        }
        // queued on the old dispatcher just before the newcomer starts: the handover must keep them
        for (int i = 0; i < 2; i++) {
            acknowledged.add(queue(first, token, "quick"));
        }

        second = startSecondDispatcher(token);
        await().atMost(Duration.ofSeconds(90)).until(() -> status(newcomerManagement, "/q/health/ready") == 200);

        // the old dispatcher learns of the takeover (at its next write or view refresh) and steps down
        await().atMost(Duration.ofSeconds(30)).until(() -> status(firstManagement, "/q/health/ready") == 503);
        HttpResponse<String> refused = post(first, token, "/api/v1/agents/quick/runs");
        assertTrue(refused.statusCode() >= 500, () -> "the old dispatcher still accepted work: " + refused.body());

        List<String> onNewcomer = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            onNewcomer.add(queue(newcomer, token, "quick"));
        }
        acknowledged.addAll(onNewcomer);
        // none lost: the newcomer knows every run either dispatcher acknowledged, and sees each one end
        for (String id : acknowledged) {
            await().atMost(RUN_WAIT).until(() -> isFinished(state(newcomer, token, id)));
        }
        // its process died with the dispatcher that started it: accounted for, never started again
        assertEquals("failed", state(newcomer, token, slow));
        for (String id : onNewcomer) {
            assertEquals("succeeded", state(newcomer, token, id), id);
        }
        List<String> started = Files.readAllLines(ledger).stream().map(line -> line.split(" ")[1]).toList();
        assertEquals(started.size(), new HashSet<>(started).size(), () -> "a run was started twice: " + started);
        assertTrue(acknowledged.containsAll(started), () -> "started runs nobody acknowledged: " + started);
        for (String id : acknowledged) {
            if (state(newcomer, token, id).equals("succeeded")) {
                assertTrue(started.contains(id), () -> id + " succeeded without starting");
            }
        }
        String fence = git(launcher.home().resolve("repo"), "show",
                "monkeytown/state/agent-dispatcher:fence/writer.json");
        assertTrue(fence.contains("\"previous\""), fence);
    }

    private static Process startSecondDispatcher(String token) throws IOException {
        Path root = Path.of(System.getProperty("monkeytown.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("agent-dispatcher/target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder("java", "-Dmonkeytown.service=agent-dispatcher",
                "-Dmonkeytown.home=" + launcher.home(), "-Dquarkus.http.port=" + SECOND_PORT,
                "-Dquarkus.management.port=" + SECOND_MANAGEMENT_PORT, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("second-dispatcher.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("MONKEYTOWN_INTERNAL_TOKEN", token);
        builder.environment().put("MONKEYTOWN_DISPATCHER_LOCAL_WRITABLE_PATHS", data.toString());
        return builder.start();
    }

    private static String queue(URI dispatcher, String token, String agent) throws Exception {
        HttpResponse<String> response = post(dispatcher, token, "/api/v1/agents/" + agent + "/runs");
        assertEquals(202, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body()).path("id").asText();
    }

    private static String state(URI dispatcher, String token, String id) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(dispatcher.resolve("/api/v1/runs/" + id))
                .header("X-Monkeytown-Internal-Token", token).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode run = Json.MAPPER.readTree(response.body());
        return run.path("state").asText();
    }

    private static HttpResponse<String> post(URI dispatcher, String token, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(dispatcher.resolve(path))
                .header("X-Monkeytown-Internal-Token", token).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(URI service, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(service.resolve(path)).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean isFinished(String state) {
        return List.of("succeeded", "failed", "cancelled", "timed_out").contains(state);
    }

    /** One mapper for the test. */
    private static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }
}
