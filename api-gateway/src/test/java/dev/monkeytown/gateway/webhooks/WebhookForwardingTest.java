package dev.monkeytown.gateway.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.buffer.Buffer;

import dev.monkeytown.gateway.health.DownstreamServices;
import dev.monkeytown.gateway.webhooks.WebhookMetrics.Forwarded;

/**
 * Forwarding to consumers that are slow rather than down: short deadlines (an attempt 3 s, a delivery 4 s) so a
 * consumer can outlast them without the test taking GitHub's 10 s, one attempt per delivery, and a pool of two
 * connections to each consumer with room for one delivery to wait.
 */
@QuarkusTest
@TestProfile(WebhookForwardingTest.SlowConsumers.class)
class WebhookForwardingTest {

    private static final String PATH = "/api/v1/webhooks/github";
    private static final String CONSUMER_PATH = "/internal/webhooks/github";
    static final int TIMEOUT_MILLIS = 3_000;

    public static class SlowConsumers extends TwoSecretsProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("monkeytown.gateway.webhooks.forward.timeout", TIMEOUT_MILLIS + "ms");
            config.put("monkeytown.gateway.webhooks.forward.deadline", "4s");
            config.put("monkeytown.gateway.webhooks.forward.pool-size", "2");
            config.put("monkeytown.gateway.webhooks.forward.max-waiting", "1");
            // one attempt: a busy pool is refused at once, not retried into a race with the slow consumer's delay
            config.put("monkeytown.gateway.webhooks.forward.attempts", "1");
            return config;
        }
    }

    @DownstreamServices.Inject
    WireMockServer consumers;

    @Inject
    WebhookForwarder forwarder;

    @TestHTTPResource(PATH)
    URL endpoint;

    @BeforeEach
    void reset() {
        consumers.resetAll();
        // build-service takes workflow_run deliveries too; these tests are about the dispatcher's answers
        consumers.stubFor(post(urlEqualTo("/build-service" + CONSUMER_PATH)).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void aConsumerThatDoesNotAnswerInTimeIsNotSentTheDeliveryAgainItMayHaveTakenIt() {
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(202).withFixedDelay(TIMEOUT_MILLIS + 500)));
        String delivery = UUID.randomUUID().toString();

        deliver("workflow_run", delivery).statusCode(503)
                .body("detail", containsString("agent-dispatcher"));

        consumers.verify(1, postRequestedFor(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .withHeader("X-GitHub-Delivery", equalTo(delivery)));
    }

    @Test
    void aConsumerThatTookTheDeliveryStaysDeliveredWhenAnotherRunsOutOfTime() {
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(202)));
        // answered 503 after 1.5 s: deploy-service fails while agent-dispatcher has taken it
        consumers.stubFor(post(urlEqualTo("/deploy-service" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(503).withFixedDelay(1_500)));
        Delivery delivery = new Delivery("push", UUID.randomUUID().toString(), Buffer.buffer("{}"), null);

        List<Forwarded> outcomes = forwarder.forward(delivery, List.of("agent-dispatcher", "deploy-service"))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(List.of(Forwarded.DELIVERED, Forwarded.FAILED), outcomes);
    }

    @Test
    void deliveriesBeyondTheConsumersPoolAndItsWaitingRoomAreRefusedNotQueued() throws Exception {
        consumers.stubFor(post(urlEqualTo("/agent-dispatcher" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(202).withFixedDelay(1_000)));
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] body = body();
            sent.add(client.sendAsync(HttpRequest.newBuilder(endpoint.toURI())
                    .header("Content-Type", "application/json")
                    // an event with one consumer: each delivery holds one of the pool's connections
                    .header("X-GitHub-Event", "workflow_job")
                    .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .header("X-Hub-Signature-256", GitHubWebhookRouteTest.sign(TwoSecretsProfile.CURRENT, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<Integer, Long> statuses = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            statuses.merge(response.get(10, TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
        }

        // two connections and one waiting: the rest are answered 503 at once instead of waiting in the gateway's heap
        assertEquals(Set.of(202, 503), statuses.keySet(), statuses.toString());
        assertTrue(statuses.get(202) >= 2, statuses.toString());
    }

    private static ValidatableResponse deliver(String event, String delivery) {
        byte[] body = body();
        return given().contentType("application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", GitHubWebhookRouteTest.sign(TwoSecretsProfile.CURRENT, body))
                .body(body)
                .post(PATH).then();
    }

    /** A body of its own each time: the gateway also recognises a replayed body. */
    private static byte[] body() {
        return ("{\"action\":\"completed\",\"monkeytown_test\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
