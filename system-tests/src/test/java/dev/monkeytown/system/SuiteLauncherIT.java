package dev.monkeytown.system;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole suite as a user runs it: {@code ./monkeytown up} starts six real JVMs, the gateway's {@code /health} sees
 * them, a killed service shows up by name, and {@code ./monkeytown down} leaves nothing behind. Runs on a private data
 * directory and port range so a suite already running on 8080-8085 is not disturbed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteLauncherIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path data;
    static Launcher launcher;
    static List<Long> startedPids;
    static String upOutput;

    @BeforeAll
    static void launcher() {
        // the launcher looks for a JDK 25 where Jdks looks, and nowhere else (JAVA_HOME empty)
        launcher = new Launcher(data.resolve("home"), 18080,
                Map.of("MONKEYTOWN_JDK_DIRS", Jdks.DIR.toString(), "JAVA_HOME", ""));
    }

    @AfterAll
    static void leaveNothingRunning() throws Exception {
        launcher.run("down");
        launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void aTakenPortIsReportedByNameAndNothingStarts() throws Exception {
        try (ServerSocket squatter = new ServerSocket(launcher.port("deploy-service"), 1, InetAddress.getLoopbackAddress())) {
            Launcher.Result up = launcher.run("up");
            assertNotEquals(0, up.exitCode(), up.output());
            assertTrue(up.output().contains("port 18084 (deploy-service)"), up.output());
            assertTrue(launcher.processesOfThisSuite().isEmpty(), "nothing may start when a port is taken");
        }
    }

    @Test
    @Order(2)
    void upStartsSixReadyServicesAndPrintsWhereTheyAre() throws Exception {
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        for (String service : Launcher.SERVICES) {
            assertTrue(up.output().contains(service), up.output());
            assertTrue(up.output().contains("http://localhost:" + launcher.port(service)), up.output());
        }
        assertTrue(up.output().contains("ready"), up.output());
        upOutput = up.output();
        startedPids = Launcher.SERVICES.stream().map(this::pid).toList();
        assertEquals(6, launcher.processesOfThisSuite().size());
    }

    @Test
    @Order(3)
    void everyServiceRunsOnTheNewestJdkWithTheAotCacheOfItsOwnBuild() throws Exception {
        Optional<Path> jdk25 = Jdks.newest(25);
        for (String service : Launcher.SERVICES) {
            long pid = pid(service);
            List<String> command = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
            Optional<Path> cache = command.stream().filter(arg -> arg.startsWith("-XX:AOTCache="))
                    .map(arg -> Path.of(arg.substring("-XX:AOTCache=".length()))).findFirst();
            if (jdk25.isEmpty()) {
                // no JDK 25 on this machine: the java on PATH, and no option a JDK 17 would refuse to start with
                assertTrue(cache.isEmpty(), service + ": " + command);
                assertTrue(upOutput.contains("without AOT caches: no JDK 25+ found"), upOutput);
                continue;
            }
            assertEquals(jdk25.get().resolve("bin/java").toString(), command.get(0), service + ": " + command);
            assertTrue(cache.isPresent(), service + " started without an AOT cache: " + command);
            assertEquals(Path.of(System.getProperty("monkeytown.root", "..")).resolve(service)
                    .resolve("target/monkeytown-aot").toAbsolutePath().normalize(), cache.get().getParent(), service);
            // the JVM keeps a cache it accepted mapped while it runs; one it rejects it unmaps and runs without
            assertTrue(Files.readString(Path.of("/proc/" + pid + "/maps")).contains(cache.get().toString()),
                    service + " does not use its AOT cache " + cache.get());
        }
    }

    @Test
    @Order(3)
    void operatorTokenIsPrivateToItsOwner() throws Exception {
        Path token = launcher.home().resolve("token");
        assertTrue(Files.size(token) >= 32);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
    }

    @Test
    @Order(4)
    void gatewayHealthSeesAllSixUp() throws Exception {
        // every service was ready when up returned; the gateway's own probes may still be warming up
        SuiteHealth.Answer health = await().atMost(Duration.ofSeconds(30))
                .until(() -> SuiteHealth.of(launcher), answer -> answer.status() == 200);
        assertEquals("UP", health.body().get("status").asText());
        for (String service : Launcher.SERVICES) {
            assertEquals("UP", health.serviceStatus(service), health.body().toString());
        }
    }

    @Test
    @Order(5)
    void theGatewayServesTheDispatcherApiReadsToAnyoneAndWritesToTheAdminToken() throws Exception {
        String gateway = "http://localhost:" + launcher.port("api-gateway");
        HttpResponse<String> agents = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/agents")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, agents.statusCode(), agents.body());
        assertTrue(agents.body().contains("\"greeter\""), "the seeded example agents: " + agents.body());

        URI runs = URI.create(gateway + "/api/v1/agents/greeter/runs");
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(runs).POST(HttpRequest.BodyPublishers
                .noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

        String token = Files.readString(launcher.home().resolve("token")).trim();
        HttpResponse<String> queued = HTTP.send(HttpRequest.newBuilder(runs).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, queued.statusCode(), queued.body());
        String location = queued.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/api/v1/runs/"), location);

        JsonNode run = await().atMost(Duration.ofSeconds(60)).until(() -> json(HTTP.send(HttpRequest.newBuilder(URI
                .create(gateway + location)).build(), HttpResponse.BodyHandlers.ofString()).body()),
                r -> "succeeded".equals(r.path("state").asText()));
        assertEquals("local-admin", run.at("/trigger/requester").asText(), "the gateway tells who asked");
        assertTrue(run.at("/runner/branch").asText().startsWith("agents/greeter/"), run.toString());
    }

    private static String bearerSubprotocol(String token) {
        return "base64url.bearer.monkeytown."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(UTF_8));
    }

    @Test
    @Order(5)
    void aBrowserSeesARunHappenLiveThroughTheGatewaysWebSocket() throws Exception {
        String token = Files.readString(launcher.home().resolve("token")).trim();
        URI ws = URI.create("ws://localhost:" + launcher.port("api-gateway") + "/ws");
        CompletionException wrong = assertThrows(
                CompletionException.class, () -> HTTP.newWebSocketBuilder()
                        .subprotocols("monkeytown.v1", bearerSubprotocol("not-the-token-0123456789"))
                        .buildAsync(ws, new WebSocket.Listener() {
                        }).join());
        assertEquals(401, ((WebSocketHandshakeException) wrong.getCause()).getResponse().statusCode());

        // websocket-service is ready before it follows every producer (it serves connections meanwhile and says
        // "degraded"): a run's events published before it follows the dispatcher are not relayed to anyone. On a loaded
        // machine the link opens after a retry, so wait for it as a user would wait for "Live".
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + (launcher.port("websocket-service") + 1000) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().matches("(?s).*\"agent-dispatcher\"\\s*:\\s*\"open.*"));

        BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        // as a browser does it: the token as a subprotocol entry next to the real protocol
        WebSocket socket = HTTP.newWebSocketBuilder()
                .subprotocols("monkeytown.v1", bearerSubprotocol(token)).buildAsync(
                        URI.create("ws://localhost:" + launcher.port("api-gateway") + "/ws"), new WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data,
                                    boolean last) {
                                partial.append(data);
                                if (last) {
                                    frames.add(json(partial.toString()));
                                    partial.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        try {
            assertEquals("monkeytown.v1", socket.getSubprotocol());
            socket.sendText("{\"type\":\"subscribe\",\"topic\":\"runs\"}", true).get(5,
                    TimeUnit.SECONDS);
            JsonNode subscribed = frames.poll(10, TimeUnit.SECONDS);
            assertEquals("subscribed", subscribed == null ? null : subscribed.get("type").asText());

            HttpResponse<String> queued = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + launcher.port("api-gateway") + "/api/v1/agents/greeter/runs"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, queued.statusCode(), queued.body());
            String id = json(queued.body()).get("id").asText();

            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!seen.contains("run.succeeded") && System.nanoTime() < deadline) {
                JsonNode frame = frames.poll(1, TimeUnit.SECONDS);
                if (frame != null && "event".equals(frame.path("type").asText())
                        && id.equals(frame.at("/data/id").asText())) {
                    seen.add(frame.get("event").asText());
                }
            }
            assertEquals(List.of("run.queued", "run.dispatched", "run.started", "run.succeeded"), seen,
                    "dispatcher → its event stream → websocket-service → the gateway's /ws → the browser");
        } finally {
            socket.abort();
        }
    }

    @Test
    @Order(5)
    void secondUpSaysItIsAlreadyRunning() throws Exception {
        Launcher.Result again = launcher.run("up");
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("already running"), again.output());
        assertEquals(6, launcher.processesOfThisSuite().size(), "a second up must not start more processes");
    }

    @Test
    @Order(6)
    void prodLogsAreJsonWithTheServiceAndTheRequestId() throws Exception {
        String token = Files.readString(launcher.home().resolve("internal-token")).trim();
        HttpRequest change = HttpRequest.newBuilder(URI.create("http://localhost:" + launcher.port("build-service")
                + "/internal/log-levels/dev.monkeytown.system"))
                .header("X-Monkeytown-Internal-Token", token)
                .header("X-Request-Id", "system-test-42")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"level\":\"DEBUG\"}"))
                .build();
        assertEquals(200, HTTP.send(change, HttpResponse.BodyHandlers.ofString()).statusCode());

        Path log = launcher.home().resolve("logs/build-service.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("system-test-42"));
        JsonNode line = Files.readAllLines(log).stream()
                .filter(l -> l.contains("system-test-42"))
                .map(SuiteLauncherIT::json)
                .findFirst().orElseThrow();
        assertEquals("build-service", line.get("service").asText());
        assertEquals("system-test-42", line.at("/mdc/requestId").asText());
        assertFalse(Files.readString(log).contains(token), "the internal token must never reach a log");
    }

    @Test
    @Order(7)
    void aServiceRefusesToStartInProdWithoutAnInternalToken() throws Exception {
        Path jar = Path.of(System.getProperty("monkeytown.root", ".."))
                .resolve("build-service/target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dquarkus.http.port=0", "-jar", jar.toString()).redirectErrorStream(true);
        builder.environment().remove("MONKEYTOWN_INTERNAL_TOKEN");
        Process service = builder.start();
        String output = new String(service.getInputStream().readAllBytes());
        assertTrue(service.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, service.exitValue(), output);
        assertTrue(output.contains("MONKEYTOWN_INTERNAL_TOKEN is not set"), output);
    }

    @Test
    @Order(8)
    void aKilledServiceTurnsHealth503NamingIt() throws Exception {
        ProcessHandle dispatcher = ProcessHandle.of(pid("agent-dispatcher")).orElseThrow();
        dispatcher.destroyForcibly();
        dispatcher.onExit().get();

        SuiteHealth.Answer health = SuiteHealth.of(launcher);
        assertEquals(503, health.status(), health.body().toString());
        assertEquals("DOWN", health.body().get("status").asText());
        assertEquals("DOWN", health.serviceStatus("agent-dispatcher"));
        assertEquals("connection refused", health.reason("agent-dispatcher"));
        assertEquals("UP", health.serviceStatus("build-service"));

        Launcher.Result status = launcher.run("status");
        assertTrue(status.output().lines().anyMatch(l -> l.startsWith("agent-dispatcher") && l.contains("dead")),
                status.output());
    }

    @Test
    @Order(9)
    void downStopsEveryProcessItStarted() throws Exception {
        Launcher.Result down = launcher.run("down");
        assertEquals(0, down.exitCode(), down.output());
        for (long pid : startedPids) {
            ProcessHandle.of(pid).ifPresent(p -> await().atMost(Duration.ofSeconds(20)).until(() -> !p.isAlive()));
        }
        assertTrue(launcher.processesOfThisSuite().isEmpty(), "no process of the suite may remain");
        assertFalse(Files.exists(launcher.home().resolve("run/api-gateway.pid")));
        assertTrue(launcher.run("status").output().contains("not running"));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }

    private long pid(String service) {
        try {
            return launcher.recordedPid(service).orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
