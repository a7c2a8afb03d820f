package dev.monkeytown.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.github.testdouble.GitHubDouble;

/**
 * The suite in GitHub mode, configured exactly as the README says, against the GitHub double: the four services that
 * keep records read their state branches on "GitHub"; a GitHub outage turns build, deploy and artifact not-ready
 * (named, with the failing check) while the dispatcher stays ready but says it is degraded (its reads and queueing
 * still work from memory) and the rest stay up; all recover by themselves when GitHub is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitHubModeSuiteIT {

    private static final List<String> STATEFUL = List.of("agent-dispatcher", "build-service", "deploy-service",
            "artifact-service");
    /** The stateful services that must not get traffic while their state branch is unreadable. */
    private static final List<String> NOT_READY_DURING_OUTAGE = List.of("build-service", "deploy-service",
            "artifact-service");
    private static final String TOKEN = "ghp_systemTestTokenThatMustNeverBeLogged";

    @TempDir
    static Path data;
    static GitHubDouble github;
    static Launcher launcher;

    @BeforeAll
    static void start() {
        github = GitHubDouble.start();
        github.repository("monkeytown", "monkeytown");
        launcher = new Launcher(data.resolve("home"), 18180, Map.of(
                "MONKEYTOWN_STATE_BACKEND", "github",
                "MONKEYTOWN_GITHUB_API_URL", github.apiUrl(),
                "MONKEYTOWN_GITHUB_REPOSITORY", "monkeytown/monkeytown",
                "MONKEYTOWN_GITHUB_LOGIN", github.login(),
                "MONKEYTOWN_GITHUB_TOKEN", TOKEN));
    }

    @AfterAll
    static void stop() throws Exception {
        launcher.run("down");
        launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
        github.close();
    }

    @Test
    @Order(1)
    void theSuiteComesUpOnGitHub() throws Exception {
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        // every service was ready when up returned; the gateway's own probes may still be warming up
        await().atMost(Duration.ofSeconds(30)).until(() -> SuiteHealth.of(launcher).status() == 200);
        for (String service : STATEFUL) {
            String ref = "/repos/monkeytown/monkeytown/git/ref/heads/monkeytown/state/" + service;
            assertTrue(github.ledger().requests().stream().anyMatch(r -> r.path().equals(ref)),
                    service + " never asked GitHub for its state branch");
        }
        assertTrue(github.violations().isEmpty(), () -> "requests GitHub would reject: " + github.violations());

        // build-service runs builds on GitHub too: its API answers from its state branch (no pipelines declared here)
        HttpResponse<String> builds = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18180/api/v1/builds")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, builds.statusCode(), builds.body());
        assertTrue(builds.body().contains("\"builds\":[]"), builds.body());
        HttpResponse<String> pipelines = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18180/api/v1/pipelines")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, pipelines.statusCode(), pipelines.body());
    }

    @Test
    @Order(2)
    void aGitHubOutageMakesBuildDeployAndArtifactNotReadyByNameWhileTheDispatcherStaysReadyDegraded() throws Exception {
        github.takeDown();
        try {
            // on a loaded machine one probe may time out before the check answers; the next names the check
            SuiteHealth.Answer health = await().atMost(Duration.ofSeconds(30))
                    .until(() -> SuiteHealth.of(launcher), answer -> NOT_READY_DURING_OUTAGE.stream()
                            .allMatch(service -> answer.reason(service).contains("state-store")));
            assertEquals(503, health.status(), health.body().toString());
            for (String service : NOT_READY_DURING_OUTAGE) {
                assertEquals("DOWN", health.serviceStatus(service), health.body().toString());
            }
            assertEquals("UP", health.serviceStatus("agent-dispatcher"), health.body().toString());
            assertEquals("UP", health.serviceStatus("api-gateway"));
            assertEquals("UP", health.serviceStatus("websocket-service"));

            // the dispatcher's own readiness: still 200, every check up, and the state store saying it is degraded
            ServiceReadiness.Answer dispatcher = await().atMost(Duration.ofSeconds(30))
                    .until(() -> ServiceReadiness.of(launcher, "agent-dispatcher"),
                            answer -> "degraded".equals(answer.check("state-store").at("/data/status").asText()));
            assertEquals(200, dispatcher.status(), dispatcher.body().toString());
            assertEquals("UP", dispatcher.body().path("status").asText(), dispatcher.body().toString());
            for (JsonNode check : dispatcher.body().path("checks")) {
                assertEquals("UP", check.path("status").asText(), dispatcher.body().toString());
            }
            assertEquals("UP", dispatcher.check("state-store").path("status").asText(), dispatcher.body().toString());
            assertTrue(dispatcher.check("state-store").at("/data/error").asText().length() > 0,
                    () -> "a degraded check says why: " + dispatcher.body());
            // the gateway still counts it among the ready ones, with the others still down
            SuiteHealth.Answer stillDuringOutage = SuiteHealth.of(launcher);
            assertEquals("UP", stillDuringOutage.serviceStatus("agent-dispatcher"), stillDuringOutage.body().toString());
            for (String service : NOT_READY_DURING_OUTAGE) {
                assertEquals("DOWN", stillDuringOutage.serviceStatus(service), stillDuringOutage.body().toString());
            }
        } finally {
            github.bringBack();
        }
    }

    @Test
    @Order(3)
    void theSuiteRecoversByItselfWhenGitHubIsBack() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> SuiteHealth.of(launcher).status() == 200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ServiceReadiness.of(launcher, "agent-dispatcher"),
                        answer -> answer.check("state-store").at("/data/status").isMissingNode()
                                && "UP".equals(answer.check("state-store").path("status").asText()));
    }

    @Test
    @Order(4)
    void theTokenNeverReachesALog() throws Exception {
        try (Stream<Path> logs = Files.list(launcher.home().resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertFalse(Files.readString(log).contains(TOKEN), log + " contains the GitHub token");
            }
        }
    }
}
