package dev.monkeytown.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.gateway.RawConnection;
import dev.monkeytown.gateway.auth.TestTokens;

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
        try (RawConnection stalled = new RawConnection(gateway, 30_000)) {
            stalled.send(upload("/api/v1/runs/r-1/notes", 1_000) + "{\"note\":");

            // the only connection to agent-dispatcher must still be free for everybody else
            given().get("/api/v1/agents").then().statusCode(200).body("uri", is("/agent-dispatcher/api/v1/agents"));

            String refused = stalled.response();
            assertTrue(refused.startsWith("HTTP/1.1 408 "), refused);
            assertTrue(refused.contains("application/problem+json"), refused);
        }
    }

    @Test
    void stalledBodiesDoNotOpenTheRoutesBreaker() throws Exception {
        List<RawConnection> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                stalled.add(new RawConnection(gateway, 30_000).send(upload("/api/v1/runs/r-" + i + "/notes", 1_000)
                        + "{\"note\":"));
            }
            for (RawConnection connection : stalled) {
                String answer = connection.response();
                assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            }
        } finally {
            for (RawConnection connection : stalled) {
                connection.close();
            }
        }
        // four stalls later, the route still works for everybody
        given().get("/api/v1/runs/r-9").then().statusCode(200).body("uri", is("/agent-dispatcher/api/v1/runs/r-9"));
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
