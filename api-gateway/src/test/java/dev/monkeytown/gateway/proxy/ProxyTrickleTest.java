package dev.monkeytown.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.gateway.RawConnection;
import dev.monkeytown.gateway.auth.TestTokens;
import dev.monkeytown.kit.testing.Management;

/**
 * A client that sends its body slowly or not at all is the client's problem: it must neither hold one of the service's
 * pooled connections while it dawdles nor count as the service failing. agent-dispatcher gets a pool of one connection
 * here, and a route's breaker opens after three failures.
 */
@QuarkusTest
@WithTestResource(ProxyDownstreams.class)
@TestProfile(ProxyTrickleTest.OneConnection.class)
class ProxyTrickleTest {

    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("monkeytown.gateway.proxy.service-pool-size.agent-dispatcher", "1");
            config.put("monkeytown.gateway.proxy.connect-timeout", "1s");
            config.put("monkeytown.gateway.proxy.idle-timeout", "3s");
            config.put("monkeytown.gateway.proxy.body-timeout", "3s");
            config.put("monkeytown.gateway.proxy.breaker.failures", "3");
            config.put("monkeytown.gateway.proxy.breaker.open-for", "60s");
            return config;
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void aStalledBodyHoldsNoPooledConnection() throws Exception {
        double awaitedBefore = bodiesAwaited();
        try (RawConnection stalled = new RawConnection(gateway, 30_000)) {
            stalled.send(upload("/api/v1/runs/r-1/notes", 1_000) + "{\"note\":");
            // the gateway is reading its start: had that taken a connection, the GET below would find none
            await().until(() -> bodiesAwaited() > awaitedBefore);

            // the only connection to agent-dispatcher must still be free for everybody else
            given().get("/api/v1/agents").then().statusCode(200).body("uri", is("/agent-dispatcher/api/v1/agents"));

            String refused = stalled.response();
            assertTrue(refused.startsWith("HTTP/1.1 408 "), refused);
            assertTrue(refused.contains("application/problem+json"), refused);
        }
    }

    @Test
    void stalledBodiesDoNotOpenTheRoutesBreaker() throws Exception {
        // Past the prefetch, so each takes the pooled connection and stalls inside the breaker's exchange (BodyPace),
        // one after the other: with the pool of one, together they would only wait for it.
        int prefetch = 64 * 1024;
        for (int i = 0; i < 4; i++) {
            try (RawConnection stalled = new RawConnection(gateway, 30_000)) {
                stalled.send(upload("/api/v1/runs/r-" + i + "/notes", 4 * prefetch) + "{\"note\":\""
                        + "x".repeat(prefetch + 1024));
                String answer = stalled.response();
                assertTrue(answer.startsWith("HTTP/1.1 408 "), "stall " + i + ": " + answer);
            }
        }
        // four stalls later (the breaker opens after three failures), the route still works for everybody
        given().get("/api/v1/runs/r-9").then().statusCode(200).body("uri", is("/agent-dispatcher/api/v1/runs/r-9"));
    }

    private static double bodiesAwaited() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^monkeytown_gateway_proxy_bodies_awaited_total\\{[^}]*} ([0-9.E+]+)$")
                .matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    @Test
    void aBodyThatKeepsFlowingIsForwardedWhole() {
        byte[] body = new byte[3 * 1024 * 1024];
        given().auth().oauth2(TestTokens.OPERATOR).contentType("application/octet-stream").body(body)
                .post("/api/v1/artifacts").then().statusCode(200).body("bodyBytes", is(body.length));
    }

    private static String upload(String path, int contentLength) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.OPERATOR
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }
}
