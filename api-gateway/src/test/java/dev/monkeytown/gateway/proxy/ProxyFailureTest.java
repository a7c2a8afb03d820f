package dev.monkeytown.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A service that is down or silent costs the caller a quick problem, never a hang. build-service and deploy-service
 * listen nowhere here; agent-dispatcher's {@code .../hang} never answers; the response timeout is 1 s and a route's
 * breaker opens after 3 failures.
 */
@QuarkusTest
@WithTestResource(value = ProxyDownstreams.class, initArgs = @ResourceArg(name = "mode", value = "failing"))
class ProxyFailureTest {

    @Test
    void aRefusedConnectionIs502() {
        given().get("/api/v1/builds/b-1")
                .then().statusCode(502).contentType("application/problem+json")
                .body("status", is(502))
                .body("detail", is("build-service is unreachable (connection refused)."));
    }

    @Test
    void aServiceThatNeverAnswersIs504AfterTheResponseTimeout() {
        given().get("/api/v1/agents/hang")
                .then().statusCode(504).contentType("application/problem+json")
                .body("detail", containsString("agent-dispatcher did not answer within the gateway's response timeout"));
    }

    @Test
    void afterThreeFailuresTheRoutesBreakerAnswers503WithRetryAfterAndOtherRoutesAreUnaffected() {
        for (int i = 0; i < 3; i++) {
            given().get("/api/v1/deployments").then().statusCode(502);
        }
        given().get("/api/v1/deployments")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("detail", containsString("deploy-service is failing"));
        // same service, another route: its own breaker is still closed, so it still tries (and is refused)
        given().get("/api/v1/environments").then().statusCode(502);
        // and a healthy service is reached as before
        given().get("/api/v1/agents").then().statusCode(200);
    }
}
