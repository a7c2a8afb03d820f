package dev.monkeytown.gateway.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

import dev.monkeytown.gateway.auth.TestTokens;

/**
 * A WebSocket lives for hours, so the per-minute rate limit alone would let one address or user pile them up: open
 * connections are capped per address (anonymous) and per user, here at 2 and 3.
 */
@QuarkusTest
@WithTestResource(ProxyDownstreams.class)
@TestProfile(WebSocketCapsTest.SmallCaps.class)
class WebSocketCapsTest {

    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("monkeytown.gateway.ws.max-connections-per-ip", "2",
                    "monkeytown.gateway.ws.max-connections-per-user", "3");
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    static Vertx vertx;
    private final List<WebSocket> open = new ArrayList<>();

    @BeforeAll
    static void startClient() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopClient() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (WebSocket socket : open) {
            socket.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        open.clear();
    }

    @Test
    void anAddressMayHoldTwoAnonymousConnectionsAndAThirdOnceOneCloses() throws Exception {
        connect(null);
        WebSocket second = connect(null);

        UpgradeRejectedException refused = rejected(null);
        assertEquals(429, refused.getStatus());
        assertEquals("application/problem+json", refused.getHeaders().get("Content-Type"));
        assertTrue(refused.getBody().toString().contains("WebSocket connections"), refused.getBody().toString());

        second.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        open.remove(second);
        // the gateway hears of the close a moment after the client sent it
        await().ignoreExceptions().untilAsserted(() -> connect(null));
    }

    @Test
    void aUserMayHoldThreeConnectionsWhateverTheAddressHolds() throws Exception {
        connect(null);
        connect(null);
        for (int i = 0; i < 3; i++) {
            connect(TestTokens.VIEWER);
        }
        assertEquals(429, rejected(TestTokens.VIEWER).getStatus());
        connect(TestTokens.OPERATOR); // another user is counted on their own
    }

    private WebSocket connect(String token) throws Exception {
        WebSocket socket = vertx.createWebSocketClient().connect(options(token)).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        open.add(socket);
        return socket;
    }

    private UpgradeRejectedException rejected(String token) throws Exception {
        try {
            connect(token);
            throw new AssertionError("the upgrade was accepted");
        } catch (ExecutionException e) {
            return assertInstanceOf(UpgradeRejectedException.class, e.getCause());
        }
    }

    private WebSocketConnectOptions options(String token) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(gateway.getHost())
                .setPort(gateway.getPort()).setURI("/ws").addSubProtocol(ProxyDownstreams.SUBPROTOCOL);
        return token == null ? options : options.putHeader("Authorization", "Bearer " + token);
    }
}
