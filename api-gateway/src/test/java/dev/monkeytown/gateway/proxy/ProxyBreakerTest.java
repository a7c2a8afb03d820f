package dev.monkeytown.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.gateway.RawConnection;

/**
 * Only the service's own outcomes move a route's breaker. agent-dispatcher gets a pool of one connection and its
 * {@code .../hang} never answers: 504 after the 4 s response timeout, well after the 1.5 s a request waits for a pooled
 * connection (1 s pool wait plus the 500 ms connect timeout). A route's breaker opens after two failures, for 3 s.
 */
@QuarkusTest
@WithTestResource(ProxyDownstreams.class)
@TestProfile(ProxyBreakerTest.HungService.class)
class ProxyBreakerTest {

    public static class HungService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("monkeytown.gateway.proxy.service-pool-size.agent-dispatcher", "1");
            config.put("monkeytown.gateway.proxy.connect-timeout", "500ms");
            config.put("monkeytown.gateway.proxy.pool-wait-timeout", "1s");
            config.put("monkeytown.gateway.proxy.response-timeout", "4s");
            config.put("monkeytown.gateway.proxy.breaker.failures", "2");
            config.put("monkeytown.gateway.proxy.breaker.open-for", "3s");
            return config;
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void aHungServiceOpensItsBreakerThoughTheRequestsWaitingBehindItFindThePoolFull() throws Exception {
        for (int round = 0; round < 2; round++) {
            long hangsBefore = hangs();
            try (RawConnection hung = new RawConnection(gateway, 10_000)) {
                hung.send("GET /api/v1/agents/hang HTTP/1.1\r\nHost: localhost\r\n\r\n");
                await().until(() -> hangs() > hangsBefore);

                // the pool's only connection waits for the hung service: this request finds the gateway busy, which
                // says nothing about the service and must not count as its success
                given().get("/api/v1/agents/a-" + round).then().statusCode(503)
                        .body("detail", containsString("busy"));

                String timedOut = hung.response();
                assertTrue(timedOut.startsWith("HTTP/1.1 504 "), timedOut);
            }
        }
        // the service failed twice in a row; the busy answers in between did not count: the breaker is open
        given().get("/api/v1/agents/a-9").then().statusCode(503)
                .header("Retry-After", matchesPattern("[1-3]"))
                .body("detail", containsString("agent-dispatcher is failing"));
    }

    private static long hangs() throws IOException {
        String base = ConfigProvider.getConfig().getValue("test.downstream.base", String.class);
        try (InputStream in = URI.create(base + "/hangs").toURL().openStream()) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
