package dev.monkeytown.websocket.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.monkeytown.kit.security.InternalToken;

@QuarkusTest
@TestProfile(GatewayUsersOnlyProfile.class)
class GatewayUserCheckTest {

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    InternalToken internalToken;

    @Test
    void upgradeWithoutTheGatewaysUserIsRefused() {
        assertRefused(Map.of());
        assertRefused(Map.of("X-Monkeytown-User", "mallory"));
        assertRefused(Map.of("X-Monkeytown-User", "mallory", InternalToken.HEADER, "guessed-token-000000000000"));
        assertRefused(Map.of(InternalToken.HEADER, internalToken.value().orElseThrow()));
        // what an older gateway forwarded for a caller without a token
        assertRefused(Map.of("X-Monkeytown-User", "anonymous", InternalToken.HEADER,
                internalToken.value().orElseThrow()));
    }

    @Test
    void userForwardedByTheGatewayConnects() throws Exception {
        Map<String, String> forwarded = Map.of("X-Monkeytown-User", "alice", InternalToken.HEADER,
                internalToken.value().orElseThrow());
        try (WsTestClient client = WsTestClient.connect(ws(), forwarded)) {
            client.send("{\"type\":\"subscribe\",\"topic\":\"runs\"}");
            assertEquals("subscribed", client.next().get("type").asText());
        }
    }

    private void assertRefused(Map<String, String> headers) {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> WsTestClient.connect(ws(), headers));
        WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
        assertEquals(401, handshake.getResponse().statusCode());
    }

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }
}
