package dev.monkeytown.gateway.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.buffer.Buffer;

import dev.monkeytown.gateway.health.DownstreamServices;
import dev.monkeytown.gateway.webhooks.WebhookMetrics.Forwarded;

/**
 * Forwarding to consumers that are slow rather than down: short deadlines (an attempt 3 s, a delivery 4 s) so a
 * consumer can outlast them without the test taking GitHub's 10 s.
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
            return config;
        }
    }

    @DownstreamServices.Inject
    WireMockServer consumers;

    @Inject
    WebhookForwarder forwarder;

    @BeforeEach
    void reset() {
        consumers.resetAll();
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
        // each attempt answered 503 after 1.5 s: the third is still under way at the 4 s deadline
        consumers.stubFor(post(urlEqualTo("/deploy-service" + CONSUMER_PATH))
                .willReturn(aResponse().withStatus(503).withFixedDelay(1_500)));
        Delivery delivery = new Delivery("push", UUID.randomUUID().toString(), Buffer.buffer("{}"), null);

        List<Forwarded> outcomes = forwarder.forward(delivery, List.of("agent-dispatcher", "deploy-service"))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(List.of(Forwarded.DELIVERED, Forwarded.FAILED), outcomes);
    }

    private static ValidatableResponse deliver(String event, String delivery) {
        byte[] body = ("{\"action\":\"completed\",\"monkeytown_test\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return given().contentType("application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", GitHubWebhookRouteTest.sign(TwoSecretsProfile.CURRENT, body))
                .body(body)
                .post(PATH).then();
    }
}
