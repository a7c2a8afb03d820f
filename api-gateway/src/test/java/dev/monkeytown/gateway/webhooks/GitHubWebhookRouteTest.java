package dev.monkeytown.gateway.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import dev.monkeytown.gateway.RawConnection;
import dev.monkeytown.gateway.health.DownstreamServices;
import dev.monkeytown.github.testdouble.DeploymentWebhooks;
import dev.monkeytown.github.testdouble.WebhookExamples;
import dev.monkeytown.kit.testing.Management;

@QuarkusTest
@TestProfile(TwoSecretsProfile.class)
class GitHubWebhookRouteTest {

    private static final String PATH = "/api/v1/webhooks/github";
    private static final String CONSUMER_PATH = "/internal/webhooks/github";
    private static final String PROBLEM = "application/problem+json";

    @DownstreamServices.Inject
    WireMockServer consumers;

    @TestHTTPResource(PATH)
    URL endpoint;

    @BeforeEach
    void consumersUp() {
        consumers.resetAll();
        // the consumers with a webhook endpoint; the others' 404 is WireMock's answer to an unstubbed path
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .willReturn(okJson("{\"handled\":true}").withStatus(202)));
        consumers.stubFor(post(urlEqualTo("/build-service" + CONSUMER_PATH))
                .willReturn(okJson("{\"handled\":true}").withStatus(202)));
        consumers.stubFor(post(urlEqualTo("/deploy-service" + CONSUMER_PATH))
                .willReturn(okJson("{\"handled\":true}").withStatus(202)));
    }

    @Test
    void aPushSignedWithTheCurrentSecretGoesToTheDispatcherBuildAndDeployServiceUnchanged() {
        byte[] body = example("push");
        String delivery = newDelivery();

        String requestId = deliver("push", delivery, body, sign(TwoSecretsProfile.CURRENT, body))
                .statusCode(202)
                .contentType("application/json")
                .body("delivery", is(delivery))
                .body("event", is("push"))
                .body("forwardedTo", contains("agent-dispatcher", "build-service", "deploy-service"))
                .extract().header("X-Request-Id");

        for (String consumer : new String[]{"agent-dispatcher", "build-service", "deploy-service"}) {
            awaitForwarded(forwarded(consumer, delivery)
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withHeader("X-GitHub-Event", equalTo("push"))
                    .withHeader("X-GitHub-Delivery", equalTo(delivery))
                    .withHeader("X-Monkeytown-Internal-Token", equalTo(internalToken()))
                    .withHeader("X-Request-Id", equalTo(requestId))
                    .withoutHeader("X-Hub-Signature-256")
                    .withRequestBody(binaryEqualTo(body)));
        }
    }

    @Test
    void aWorkflowRunSignedWithTheNextSecretGoesToTheDispatcherBuildAndDeployService() {
        byte[] body = example("workflow_run.completed");
        String delivery = newDelivery();

        deliver("workflow_run", delivery, body, sign(TwoSecretsProfile.NEXT, body))
                .statusCode(202)
                .body("forwardedTo", contains("agent-dispatcher", "build-service", "deploy-service"));

        for (String consumer : new String[]{"agent-dispatcher", "build-service", "deploy-service"}) {
            awaitForwarded(forwarded(consumer, delivery)
                    .withHeader("X-GitHub-Event", equalTo("workflow_run"))
                    .withRequestBody(binaryEqualTo(body)));
        }
    }

    @Test
    void aWorkflowJobGoesToTheDispatcherOnly() {
        byte[] body = "{\"action\":\"completed\",\"workflow_job\":{\"run_id\":1}}".getBytes(StandardCharsets.UTF_8);
        String delivery = newDelivery();

        deliver("workflow_job", delivery, body, sign(TwoSecretsProfile.CURRENT, body))
                .statusCode(202)
                .body("forwardedTo", contains("agent-dispatcher"));

        awaitForwarded(forwarded("agent-dispatcher", delivery));
        assertNotForwardedTo(delivery, "build-service", "deploy-service");
    }

    @Test
    void aPullRequestGoesToTheDispatcherOnlyForTheBusinessMetrics() {
        byte[] body = example("pull_request.opened");
        String delivery = newDelivery();

        deliver("pull_request", delivery, body, sign(TwoSecretsProfile.CURRENT, body))
                .statusCode(202)
                .body("forwardedTo", contains("agent-dispatcher"));

        awaitForwarded(forwarded("agent-dispatcher", delivery)
                .withHeader("X-GitHub-Event", equalTo("pull_request"))
                .withHeader("X-GitHub-Delivery", equalTo(delivery))
                .withRequestBody(binaryEqualTo(body)));
        assertNotForwardedTo(delivery, "build-service", "deploy-service");
    }

    @Test
    void aDeploymentStatusGoesToDeployServiceOnly() {
        byte[] body = DeploymentWebhooks.example("deployment_status.created")
                .put("monkeytown_test", UUID.randomUUID().toString()).toString().getBytes(StandardCharsets.UTF_8);
        String delivery = newDelivery();

        deliver("deployment_status", delivery, body, sign(TwoSecretsProfile.CURRENT, body))
                .statusCode(202)
                .body("forwardedTo", contains("deploy-service"));

        awaitForwarded(forwarded("deploy-service", delivery)
                .withHeader("X-GitHub-Event", equalTo("deployment_status"))
                .withRequestBody(binaryEqualTo(body)));
        assertNotForwardedTo(delivery, "agent-dispatcher", "build-service");
    }

    @Test
    void aReplayedDeliveryIsAcknowledgedButForwardedOnlyOnce() {
        byte[] body = example("workflow_run.requested");
        String delivery = newDelivery();
        String signature = sign(TwoSecretsProfile.CURRENT, body);
        deliver("workflow_run", delivery, body, signature).statusCode(202);
        awaitForwarded(forwarded("agent-dispatcher", delivery));

        deliver("workflow_run", delivery, body, signature)
                .statusCode(200)
                .body("delivery", is(delivery))
                .body("duplicate", is(true))
                .body("forwardedTo", empty());

        forwardMarker();
        consumers.verify(1, forwarded("agent-dispatcher", delivery));
    }

    @Test
    void aWrongSignatureIsRefusedAndNothingIsForwarded() {
        byte[] body = example("push");
        String delivery = newDelivery();
        byte[] tampered = example("push");
        tampered[tampered.length - 2] = ' ';

        refused(deliver("push", delivery, body, sign(TwoSecretsProfile.CURRENT, tampered)), 401)
                .body("detail", containsString("X-Hub-Signature-256 does not match"));
        refused(deliver("push", delivery, body, "sha256=" + "0".repeat(64)), 401);
        refused(deliver("push", delivery, body, "sha1=" + "0".repeat(40)), 401);

        assertNothingForwarded(delivery);
    }

    @Test
    void aSignatureMadeWithARemovedSecretIsRefused() {
        byte[] body = example("workflow_run.completed");
        String delivery = newDelivery();

        refused(deliver("workflow_run", delivery, body, sign(TwoSecretsProfile.STALE, body)), 401);

        assertNothingForwarded(delivery);
    }

    @Test
    void anUnsignedDeliveryIsRefused() {
        byte[] body = example("push");
        String delivery = newDelivery();

        refused(deliver("push", delivery, body, null), 401)
                .body("detail", containsString("X-Hub-Signature-256 header is required"));

        assertNothingForwarded(delivery);
    }

    @Test
    void missingEventOrDeliveryHeadersAreRefusedNamingTheHeader() {
        byte[] body = example("push");
        String signature = sign(TwoSecretsProfile.CURRENT, body);
        String delivery = newDelivery();

        refused(deliver(null, delivery, body, signature), 400)
                .body("detail", startsWith("X-GitHub-Event header is required"));
        refused(deliver("push", null, body, signature), 400)
                .body("detail", startsWith("X-GitHub-Delivery header is required"));
        refused(deliver("push", "../../etc/passwd", body, signature), 400)
                .body("detail", startsWith("X-GitHub-Delivery header is not in the form"));

        assertNothingForwarded(delivery);
    }

    @Test
    void aFormEncodedHookIsToldToSwitchToJson() {
        // GitHub's other content type: the JSON URL-encoded in a "payload" form field, signed as sent
        String form = "payload=" + URLEncoder.encode(new String(example("push"), StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        String delivery = newDelivery();

        refused(given().contentType("application/x-www-form-urlencoded")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", sign(TwoSecretsProfile.CURRENT, form.getBytes(StandardCharsets.US_ASCII)))
                .body(form)
                .post(PATH).then(), 415)
                .body("detail", containsString("set its Content type to application/json"));

        assertNothingForwarded(delivery);
    }

    @Test
    void aBodyOverTheCapIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        byte[] body = oversize();
        String delivery = newDelivery();
        String signature = sign(TwoSecretsProfile.CURRENT, body);

        refused(deliver("push", delivery, body, signature), 413)
                .body("detail", containsString("larger than " + TwoSecretsProfile.MAX_BODY + " bytes"));

        // chunked: no Content-Length to refuse it by, so the cap applies while it is read
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.toURI())
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode());
        assertEquals(PROBLEM, chunked.headers().firstValue("Content-Type").orElse(""));

        assertNothingForwarded(delivery);
    }

    @Test
    void aBodyThatStopsArrivingIs408AtTheBodyDeadline() throws Exception {
        String delivery = newDelivery();
        try (RawConnection slow = new RawConnection(endpoint, 30_000)) {
            slow.send(head(delivery, 1_000) + "{\"zen\":");

            String response = slow.response();

            assertTrue(response.startsWith("HTTP/1.1 408 "), response);
            assertTrue(response.contains("application/problem+json"), response);
        }
        assertNothingForwarded(delivery);
    }

    @Test
    void aStalledBodyHoldsOnlyTheBytesThatArrivedNotItsDeclaredLength() throws Exception {
        // GitHub's delivery comes from 127.0.0.1; the stalled body from another address declares nearly a max-body
        try (RawConnection stalled = new RawConnection(endpoint, 30_000, OTHER_ADDRESS)) {
            stalled.send(head(newDelivery(), TwoSecretsProfile.MAX_BODY - 100) + "{");
            await().until(() -> unverifiedBytes() >= 1); // it is being read

            // larger than what a reservation of the declared length would leave of the budget
            byte[] body = padded(TwoSecretsProfile.MAX_BUFFERED - TwoSecretsProfile.MAX_BODY + 8 * 1024);
            deliver("workflow_run", newDelivery(), body, sign(TwoSecretsProfile.CURRENT, body)).statusCode(202);
        }
    }

    @Test
    void oneAddressHoldsAtMostOneMaxBodyOfTheBudget() throws Exception {
        int part = TwoSecretsProfile.MAX_BODY * 5 / 8; // two of them fit the budget, not one address's share
        try (RawConnection first = new RawConnection(endpoint, 30_000, OTHER_ADDRESS);
                RawConnection second = new RawConnection(endpoint, 30_000, OTHER_ADDRESS)) {
            first.send(head(newDelivery(), part + 1) + "{" + "x".repeat(part - 1));
            await().until(() -> unverifiedBytes() >= part);

            second.send(head(newDelivery(), part + 1) + "{" + "x".repeat(part - 1));

            String refused = second.response();
            assertTrue(refused.startsWith("HTTP/1.1 503 "), refused);
            assertTrue(refused.contains("Retry-After: "), refused);
            assertTrue(refused.contains("application/problem+json"), refused);
            // another address still has room beside the first body
            byte[] body = padded(TwoSecretsProfile.MAX_BODY / 4);
            deliver("workflow_run", newDelivery(), body, sign(TwoSecretsProfile.CURRENT, body)).statusCode(202);
            String stalled = first.response();
            assertTrue(stalled.startsWith("HTTP/1.1 408 "), stalled);
        }
    }

    @Test
    void unverifiedBodiesBeyondTheBufferBudgetAreRefused() throws Exception {
        int large = TwoSecretsProfile.MAX_BODY - 100;
        int rest = TwoSecretsProfile.MAX_BUFFERED - large + 100; // does not fit beside the first
        try (RawConnection first = new RawConnection(endpoint, 30_000, OTHER_ADDRESS);
                RawConnection second = new RawConnection(endpoint, 30_000, THIRD_ADDRESS)) {
            first.send(head(newDelivery(), large + 1) + "{" + "x".repeat(large - 1));
            await().until(() -> unverifiedBytes() >= large);

            second.send(head(newDelivery(), rest + 1) + "{" + "x".repeat(rest - 1));

            String refused = second.response();
            assertTrue(refused.startsWith("HTTP/1.1 503 "), refused);
            assertTrue(refused.contains("Retry-After: "), refused);
            assertTrue(first.response().startsWith("HTTP/1.1 408 "));
        }
        // the budget is free again once the stalled body gave up
        byte[] body = example("push");
        deliver("push", newDelivery(), body, sign(TwoSecretsProfile.CURRENT, body)).statusCode(202);
    }

    @Test
    void aDeliveryItsConsumerCannotTakeIs503SoGitHubRecordsItFailed() {
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(503)));
        byte[] body = example("workflow_run.completed");
        String delivery = newDelivery();

        refused(deliver("workflow_run", delivery, body, sign(TwoSecretsProfile.CURRENT, body)), 503)
                .body("detail", containsString("agent-dispatcher"));

        consumers.verify(TwoSecretsProfile.ATTEMPTS, forwarded("agent-dispatcher", delivery));
    }

    @Test
    void aConsumerAnswering404HasNotTakenTheDeliverySoGitHubIsAnswered503() {
        // a consumer without the endpoint (an old version, a wrong URL) recorded nothing: not a delivery
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(404)));
        byte[] body = example("workflow_run.completed");
        String delivery = newDelivery();

        refused(deliver("workflow_run", delivery, body, sign(TwoSecretsProfile.CURRENT, body)), 503)
                .body("detail", containsString("not taken by agent-dispatcher"));

        consumers.verify(1, forwarded("agent-dispatcher", delivery)); // a refusal, not worth another attempt
        metrics().body(containsString(
                "monkeytown_webhooks_forwarded_total{consumer=\"agent-dispatcher\",event=\"workflow_run\",outcome=\"rejected\""));
    }

    @Test
    void aCapturedBodyReplayedUnderAFreshDeliveryIdIsNotForwardedAgain() {
        byte[] body = example("workflow_run.completed");
        String signature = sign(TwoSecretsProfile.CURRENT, body);
        String original = newDelivery();
        deliver("workflow_run", original, body, signature).statusCode(202);
        awaitForwarded(forwarded("agent-dispatcher", original));

        String replay = newDelivery();
        deliver("workflow_run", replay, body, signature)
                .statusCode(200)
                .body("duplicate", is(true));

        assertNothingForwarded(replay);
    }

    private static final String OTHER_ADDRESS = "127.0.0.2";
    private static final String THIRD_ADDRESS = "127.0.0.3";

    private static long unverifiedBytes() {
        String metrics = metrics().extract().asString();
        Matcher value = Pattern.compile("(?m)^monkeytown_webhooks_unverified_bytes\\{[^}]*} ([0-9.E+]+)$")
                .matcher(metrics);
        return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    /** A JSON body of about {@code bytes}, unique each time. */
    private static byte[] padded(int bytes) {
        String start = "{\"id\":\"" + UUID.randomUUID() + "\",\"padding\":\"";
        return (start + "x".repeat(bytes - start.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String head(String delivery, int contentLength) {
        return "POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-GitHub-Event: push\r\nX-GitHub-Delivery: " + delivery + "\r\nX-Hub-Signature-256: sha256="
                + "0".repeat(64) + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void onlyPostIsAllowed() {
        given().when().get(PATH)
                .then().statusCode(405)
                .contentType(PROBLEM)
                .header("Allow", "POST");
    }

    @Test
    void aPingIsAnsweredAndForwardedNowhere() {
        byte[] body = "{\"zen\":\"Design for failure.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        String delivery = newDelivery();

        deliver("ping", delivery, body, sign(TwoSecretsProfile.NEXT, body))
                .statusCode(200)
                .body("pong", is(true))
                .body("forwardedTo", empty());

        assertNothingForwarded(delivery);
    }

    @Test
    void anEventNobodyConsumesIsAcknowledgedAndForwardedNowhere() {
        byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        String delivery = newDelivery();

        deliver("issues", delivery, body, sign(TwoSecretsProfile.CURRENT, body))
                .statusCode(202)
                .body("event", is("issues"))
                .body("forwardedTo", empty());

        assertNothingForwarded(delivery);
    }

    @Test
    void aConsumerThatIsBrieflyDownGetsTheDeliveryOnARetry() {
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH)).inScenario("restart")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH)).inScenario("restart")
                .whenScenarioStateIs("up").willReturn(okJson("{}").withStatus(202)));
        byte[] body = example("workflow_run.requested");
        String delivery = newDelivery();

        deliver("workflow_run", delivery, body, sign(TwoSecretsProfile.CURRENT, body)).statusCode(202);

        await().untilAsserted(() -> consumers.verify(2, forwarded("agent-dispatcher", delivery)
                .withRequestBody(binaryEqualTo(body))));
        forwardMarker();
        consumers.verify(2, forwarded("agent-dispatcher", delivery));
        metrics().body(containsString(
                "monkeytown_webhooks_forwarded_total{consumer=\"agent-dispatcher\",event=\"workflow_run\",outcome=\"delivered\",service=\"api-gateway\""));
    }

    @Test
    void aConsumerDownForGoodIsTriedBoundedTimesAndARedeliveryIsForwardedAgain() {
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(500)));
        byte[] body = example("workflow_run.completed");
        String delivery = newDelivery();
        String signature = sign(TwoSecretsProfile.CURRENT, body);

        deliver("workflow_run", delivery, body, signature).statusCode(503);
        consumers.verify(TwoSecretsProfile.ATTEMPTS, forwarded("agent-dispatcher", delivery));
        // given up and forgotten: GitHub's redelivery is processed, not dismissed as a duplicate
        deliver("workflow_run", delivery, body, signature).statusCode(503);
        consumers.verify(2 * TwoSecretsProfile.ATTEMPTS, forwarded("agent-dispatcher", delivery));
        metrics().body(containsString(
                "monkeytown_webhooks_forwarded_total{consumer=\"agent-dispatcher\",event=\"workflow_run\",outcome=\"failed\""));
    }

    @Test
    void outcomesAreCounted() {
        byte[] body = example("push");
        String delivery = newDelivery();
        deliver("push", delivery, body, sign(TwoSecretsProfile.STALE, body)).statusCode(401);
        deliver("push", delivery, body, sign(TwoSecretsProfile.CURRENT, body)).statusCode(202);
        deliver("push", delivery, body, sign(TwoSecretsProfile.CURRENT, body)).statusCode(200);
        deliver("forged_event_name", newDelivery(), body, "sha256=" + "1".repeat(64)).statusCode(401);

        metrics()
                .body(containsString("monkeytown_webhooks_received_total{event=\"push\",outcome=\"accepted\""))
                .body(containsString("monkeytown_webhooks_received_total{event=\"push\",outcome=\"duplicate\""))
                .body(containsString("monkeytown_webhooks_received_total{event=\"push\",outcome=\"bad_signature\""))
                .body(containsString("monkeytown_webhooks_received_total{event=\"other\",outcome=\"bad_signature\""))
                .body(org.hamcrest.Matchers.not(containsString("forged_event_name")));
    }

    // --- helpers

    private static ValidatableResponse deliver(String event, String delivery, byte[] body, String signature) {
        return request(event, delivery, body, signature).contentType("application/json").post(PATH).then();
    }

    private static RequestSpecification request(String event, String delivery, byte[] body, String signature) {
        // as GitHub sends it: no charset parameter
        RequestSpecification request = given().config(RestAssured.config().encoderConfig(EncoderConfig
                .encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))).body(body);
        if (event != null) {
            request.header("X-GitHub-Event", event);
        }
        if (delivery != null) {
            request.header("X-GitHub-Delivery", delivery);
        }
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.header("User-Agent", "GitHub-Hookshot/044aadd");
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType(PROBLEM)
                .body("status", is(status))
                .body("instance", is(PATH));
    }

    private static ValidatableResponse metrics() {
        return Management.given().get("/q/metrics").then().statusCode(200);
    }

    private static RequestPatternBuilder forwarded(String service, String delivery) {
        return postRequestedFor(urlEqualTo("/" + service + CONSUMER_PATH))
                .withHeader("X-GitHub-Delivery", equalTo(delivery));
    }

    private void awaitForwarded(RequestPatternBuilder expected) {
        await().untilAsserted(() -> consumers.verify(1, expected));
    }

    /**
     * Forwarding is asynchronous, so "not forwarded" is checked after a later delivery has been forwarded: had the
     * refused one been scheduled, it would have arrived by then.
     */
    private void assertNothingForwarded(String delivery) {
        forwardMarker();
        consumers.verify(0, postRequestedFor(anyUrl()).withHeader("X-GitHub-Delivery", equalTo(delivery)));
    }

    private void assertNotForwardedTo(String delivery, String... services) {
        forwardMarker();
        for (String service : services) {
            consumers.verify(0, forwarded(service, delivery));
        }
    }

    private void forwardMarker() {
        byte[] body = example("push");
        String marker = newDelivery();
        deliver("push", marker, body, sign(TwoSecretsProfile.CURRENT, body)).statusCode(202);
        awaitForwarded(forwarded("agent-dispatcher", marker));
    }

    /** GitHub's example payload, made unique as every real delivery is (the gateway also recognises replayed bodies). */
    private static byte[] example(String name) {
        return WebhookExamples.load(name).put("monkeytown_test", UUID.randomUUID().toString()).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] oversize() {
        String padding = "x".repeat(TwoSecretsProfile.MAX_BODY + 16 * 1024);
        return ("{\"padding\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String newDelivery() {
        return UUID.randomUUID().toString();
    }

    private static String internalToken() {
        return ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class);
    }

    /** Signed here as GitHub does, independently of the gateway's verifier. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
