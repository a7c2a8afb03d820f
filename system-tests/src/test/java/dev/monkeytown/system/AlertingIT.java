package dev.monkeytown.system;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.monkeytown.system.alerting.Paths;
import dev.monkeytown.system.alerting.Tool;

/**
 * The alert rules end to end: the suite started through {@code ./monkeytown}, a real Prometheus (the rules file as it
 * is) scraping its six management ports, a real Alertmanager (the routing of {@code alertmanager.yml} as it is, only
 * its secret files and addresses pointed here), this test as the chat webhook, and deploy-service's own GitHub-issue
 * receiver (locally it records each alert on its state branch). A condition is provoked for real and the alert must
 * arrive where the spec sends it. All on loopback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String WEBHOOK_SECRET = "alerting-it-webhook-secret";

    @TempDir
    static Path data;
    static Launcher launcher;
    static HttpServer receivers;
    /** What Alertmanager posted to the chat receiver ({@code /chat}); the GitHub-issue receiver is deploy-service. */
    static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    static final List<Process> started = new ArrayList<>();
    static int prometheusPort;
    static int alertmanagerPort;
    /** The suite's internal token, which Alertmanager presents to deploy-service's receiver as a bearer token. */
    static String internalToken;

    record Delivery(String path, String authorization, JsonNode body) {
    }

    @BeforeAll
    static void suitePrometheusAndAlertmanager() throws Exception {
        receivers = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receivers.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), JSON.readTree(body)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receivers.start();
        String receiverUrl = "http://127.0.0.1:" + receivers.getAddress().getPort();

        launcher = new Launcher(data.resolve("home"), 28180, Map.of("MONKEYTOWN_GATEWAY_WEBHOOKS_SECRETS",
                WEBHOOK_SECRET));
        Launcher.Result up = launcher.run("up");
        assertEquals(0, up.exitCode(), up.output());
        internalToken = Files.readString(data.resolve("home").resolve("internal-token")).trim();

        alertmanagerPort = freePort();
        prometheusPort = freePort();
        startAlertmanager(receiverUrl);
        startPrometheus();

        // every service scraped and up before anything is provoked
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> query("count(up{job=\"monkeytown\"} == 1)").path(0).path("value").path(1).asText(),
                        "6"::equals);
    }

    @AfterAll
    static void leaveNothingRunning() throws Exception {
        for (Process process : started) {
            process.destroy();
        }
        for (Process process : started) {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (launcher != null) {
            launcher.run("down");
            launcher.processesOfThisSuite().forEach(ProcessHandle::destroyForcibly);
        }
        if (receivers != null) {
            receivers.stop(0);
        }
    }

    @Test
    @Order(1)
    void aBurstOfBadlySignedWebhooksIsASecurityBreachInChatAndOnGitHub() throws Exception {
        // the counter only exists after its first increment; Prometheus must see it once before the burst counts
        assertEquals(401, badlySignedDelivery());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> query("monkeytown_webhooks_received_total{outcome=\"bad_signature\"}").size() == 1);
        for (int i = 0; i < 20; i++) {
            assertEquals(401, badlySignedDelivery());
        }

        Delivery chat = awaitDelivery("/chat", "SecurityBreachDetected", Duration.ofSeconds(90));
        assertTrue(chat.body().path("attachments").path(0).path("title").asText().startsWith("[CRITICAL]"),
                chat.body().toString());
        assertTrue(chat.body().toString().contains("with a bad or missing signature"), chat.body().toString());

        // the GitHub-issue receiver is deploy-service's, for real: locally it records the alert on its state branch
        JsonNode alert = awaitRecordedAlert("SecurityBreachDetected", Duration.ofSeconds(90));
        assertEquals("firing", alert.path("status").asText());
        assertEquals("bad_webhook_signatures", alert.path("labels").path("signal").asText());
        assertEquals("docs/operations.md#securitybreachdetected", alert.path("annotations").path("runbook").asText());
        assertTrue(alert.path("fingerprint").asText().length() > 0, "the issue's identity: " + alert);
        // recorded at all means Alertmanager presented the internal token from its file: the receiver refuses others

        JsonNode inAlertmanager = alertmanager("/api/v2/alerts?filter=alertname%3D%22SecurityBreachDetected%22");
        assertEquals(1, inAlertmanager.size(), inAlertmanager.toString());
        assertEquals("active", inAlertmanager.path(0).path("status").path("state").asText());
    }

    @Test
    @Order(2)
    void killingTheGatewayIsSiteDownInChatAndOnGitHub() throws Exception {
        long gateway = launcher.recordedPid("api-gateway").orElseThrow();
        ProcessHandle.of(gateway).orElseThrow().destroyForcibly();

        Delivery chat = awaitDelivery("/chat", "SiteDown", Duration.ofSeconds(150));
        assertTrue(chat.body().toString().contains("No api-gateway instance answers"), chat.body().toString());
        JsonNode alert = awaitRecordedAlert("SiteDown", Duration.ofSeconds(90));
        assertEquals("critical", alert.path("labels").path("severity").asText());
        assertEquals("api-gateway", alert.path("labels").path("service").asText());
        // That warnings go to the digest and never to chat is amtool's routing test
        // (PrometheusRulesTest.alertmanagerConfigIsValidAndRoutesAsTheSpecSays): no warning fires in this run, so a
        // loop over chat's deliveries here could not fail.
    }

    private static int badlySignedDelivery() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + launcher.port("api-gateway")
                + "/api/v1/webhooks/github"))
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"zen\":\"forged\"}")).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Delivery awaitDelivery(String path, String alertname, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofSeconds(1))
                .until(() -> deliveries.stream().filter(d -> d.path().equals(path))
                        .filter(d -> d.body().toString().contains(alertname)).findFirst().orElse(null),
                        d -> d != null);
    }

    /** The alert as deploy-service recorded it, asked directly (the gateway may be what was killed). */
    private static JsonNode awaitRecordedAlert(String alertname, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + launcher.port("deploy-service") + "/api/v1/alerts?status=firing"))
                    .header("X-Monkeytown-Internal-Token", internalToken).build();
            for (JsonNode alert : JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body())
                    .path("alerts")) {
                if (alert.path("alertname").asText().equals(alertname)) {
                    return alert;
                }
            }
            return null;
        }, alert -> alert != null);
    }

    private static void startAlertmanager(String receiverUrl) throws Exception {
        Path dir = Files.createDirectories(data.resolve("alertmanager"));
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("chat-webhook-url"), receiverUrl + "/chat");
        Files.writeString(secrets.resolve("internal-token"), internalToken);
        Files.writeString(secrets.resolve("smtp-password"), "unused");
        String config = Files.readString(Paths.PROMETHEUS.resolve("alertmanager/alertmanager.yml"));
        String pointedHere = config.replace("/etc/alertmanager/secrets/", secrets + "/")
                .replace("http://deploy-service:8080/internal/alerts",
                        "http://127.0.0.1:" + launcher.port("deploy-service") + "/internal/alerts");
        assertTrue(!pointedHere.equals(config) && !pointedHere.contains("deploy-service:8080"),
                "alertmanager.yml no longer has the secrets directory and receiver address this test points here");
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, pointedHere);
        start(dir, Tool.ALERTMANAGER, "--config.file=" + file, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address=");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> alertmanager("/api/v2/status")
                .path("cluster").path("status").asText(), s -> !s.isEmpty());
    }

    private static void startPrometheus() throws Exception {
        Path dir = Files.createDirectories(data.resolve("prometheus"));
        String targets = Launcher.SERVICES.stream()
                .map(s -> "      - targets: ['127.0.0.1:" + launcher.managementPort(s) + "']\n"
                        + "        labels: {service: " + s + "}\n")
                .collect(Collectors.joining());
        // the scrape shape of deploy/prometheus/prometheus.yml, faster, on this test's ports
        String config = """
                global:
                  scrape_interval: 2s
                  evaluation_interval: 2s
                rule_files: ['%s']
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ['127.0.0.1:%d']
                scrape_configs:
                  - job_name: monkeytown
                    metrics_path: /q/metrics
                    honor_labels: true
                    static_configs:
                %s""".formatted(Paths.RULES, alertmanagerPort, targets);
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        start(dir, Tool.PROMETHEUS, "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static void start(Path dir, Tool tool, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(tool.path()));
        command.addAll(List.of(arguments));
        File log = dir.resolve(tool.name().toLowerCase() + ".log").toFile();
        started.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
    }

    private static JsonNode query(String promql) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, UTF_8));
        JsonNode answer = JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return answer.path("data").path("result");
    }

    private static JsonNode alertmanager(String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alertmanagerPort + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
