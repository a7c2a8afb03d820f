package dev.monkeytown.gateway.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The embedded default configures no webhook secret: the endpoint stays closed rather than accepting anything. */
@QuarkusTest
class WebhookSecretNotConfiguredTest {

    @Test
    void withoutASecretEveryDeliveryIs503EvenASignedOne() {
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
                .header("X-Hub-Signature-256",
                        GitHubWebhookRouteTest.sign("anything", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .body("{}")
                .when().post("/api/v1/webhooks/github")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("status", is(503))
                .body("detail", containsString("webhook secret not configured"));
    }
}
