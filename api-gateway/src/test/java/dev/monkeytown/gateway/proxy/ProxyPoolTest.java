package dev.monkeytown.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

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
 * A full pool is the gateway's own overload, not the service failing: clients holding every pooled connection (slow
 * downloads, long uploads) must not open a route's breaker for everybody. agent-dispatcher gets a pool of one
 * connection here and a route's breaker opens after two failures.
 */
@QuarkusTest
@WithTestResource(ProxyDownstreams.class)
@TestProfile(ProxyPoolTest.OneConnection.class)
class ProxyPoolTest {

    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("monkeytown.gateway.proxy.service-pool-size.agent-dispatcher", "1");
            config.put("monkeytown.gateway.proxy.connect-timeout", "500ms");
            config.put("monkeytown.gateway.proxy.response-timeout", "60s");
            config.put("monkeytown.gateway.proxy.breaker.failures", "2");
            config.put("monkeytown.gateway.proxy.breaker.open-for", "60s");
            return config;
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void waitingForAPooledConnectionIs503WithRetryAfterAndNeverOpensTheBreaker() throws Exception {
        long hangsBefore = hangs();
        try (RawConnection holder = new RawConnection(gateway, 30_000)) {
            // holds the only connection to agent-dispatcher: the service got the request and does not answer yet
            holder.send("GET /api/v1/agents/hang HTTP/1.1\r\nHost: localhost\r\n\r\n");
            await().until(() -> hangs() > hangsBefore);

            for (int i = 0; i < 3; i++) {
                given().get("/api/v1/runs/r-1")
                        .then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                        .body("detail", containsString("busy"));
            }
        }
        // the holder is gone, its connection back in the pool: the route's breaker must still be closed
        await().untilAsserted(() -> given().get("/api/v1/runs/r-9")
                .then().statusCode(200).body("uri", is("/agent-dispatcher/api/v1/runs/r-9")));
    }

    private static long hangs() throws IOException {
        String base = ConfigProvider.getConfig().getValue("test.downstream.base", String.class);
        try (InputStream in = URI.create(base + "/hangs").toURL().openStream()) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
