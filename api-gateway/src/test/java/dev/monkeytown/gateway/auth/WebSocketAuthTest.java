package dev.monkeytown.gateway.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.monkeytown.gateway.proxy.ProxyDownstreams;

/**
 * {@code /ws} authentication with a real WebSocket client, through the gateway, to a real WebSocket server standing in
 * for websocket-service that records every upgrade request it receives. Each test marks its upgrade with a
 * {@code case} query parameter, to find it among the recorded ones (or to see that it never arrived).
 */
@QuarkusTest
@WithTestResource(ProxyDownstreams.class)
class WebSocketAuthTest {

    private static final String WRONG = "wrong-token-0123456789abcdef";

    @TestHTTPResource("/")
    URL gateway;

    static Vertx vertx;

    @BeforeAll
    static void startClient() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopClient() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aSubprotocolTokenAuthenticatesAndIsRemovedFromTheOfferedProtocols() throws Exception {
        WebSocket socket = connect(options("/ws?case=subprotocol").addSubProtocol(ProxyDownstreams.SUBPROTOCOL)
                .addSubProtocol(BearerSubprotocol.PREFIX + base64url(TestTokens.VIEWER)));

        assertEquals(ProxyDownstreams.SUBPROTOCOL, socket.subProtocol()); // the service picked the real protocol
        assertEquals("echo:hi user=vic query=case=subprotocol", roundTrip(socket, "hi"));
        JsonObject headers = upgrade("subprotocol").orElseThrow().getJsonObject("headers");
        assertEquals("vic", headers.getString("x-monkeytown-user"));
        assertEquals("viewer", headers.getString("x-monkeytown-role"));
        assertEquals(ProxyDownstreams.SUBPROTOCOL, headers.getString("sec-websocket-protocol"));
        assertNoCredentialIn(upgrade("subprotocol").orElseThrow(), TestTokens.VIEWER);
    }

    @Test
    void anAccessTokenQueryParameterAuthenticatesAndIsRemovedFromTheQuery() throws Exception {
        WebSocket socket = connect(options("/ws?after=3&access_token=" + TestTokens.OPERATOR + "&q=a%20b&case=query")
                .addSubProtocol(ProxyDownstreams.SUBPROTOCOL));

        assertEquals("echo:hi user=olga query=after=3&q=a%20b&case=query", roundTrip(socket, "hi"));
        JsonObject upgrade = upgrade("query").orElseThrow();
        assertEquals("after=3&q=a%20b&case=query", upgrade.getString("query")); // the rest as the client encoded it
        assertEquals("olga", upgrade.getJsonObject("headers").getString("x-monkeytown-user"));
        assertNoCredentialIn(upgrade, TestTokens.OPERATOR);
    }

    @Test
    void anAuthorizationHeaderAuthenticatesAndStopsAtTheGateway() throws Exception {
        WebSocket socket = connect(options("/ws?case=header").putHeader("Authorization", "Bearer " + TestTokens.ADMIN)
                .addSubProtocol(ProxyDownstreams.SUBPROTOCOL));

        assertEquals("echo:hi user=ada query=case=header", roundTrip(socket, "hi"));
        JsonObject upgrade = upgrade("header").orElseThrow();
        assertEquals("admin", upgrade.getJsonObject("headers").getString("x-monkeytown-role"));
        assertFalse(upgrade.getJsonObject("headers").containsKey("authorization"));
        assertNoCredentialIn(upgrade, TestTokens.ADMIN);
    }

    @Test
    void noCredentialIsForwardedAsAnonymousWithoutAUserHeader() throws Exception {
        WebSocket socket = connect(options("/ws?case=anonymous").addSubProtocol(ProxyDownstreams.SUBPROTOCOL));

        assertEquals("echo:hi user=null query=case=anonymous", roundTrip(socket, "hi"));
        JsonObject headers = upgrade("anonymous").orElseThrow().getJsonObject("headers");
        // websocket-service counts any user header next to the internal token as authenticated
        assertFalse(headers.containsKey("x-monkeytown-user"), headers.encode());
        assertFalse(headers.containsKey("x-monkeytown-role"), headers.encode());
        assertEquals(ProxyDownstreams.SUBPROTOCOL, headers.getString("sec-websocket-protocol"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"header-wrong, header, " + WRONG, "query-wrong, query, " + WRONG,
            "subprotocol-wrong, subprotocol, " + WRONG, "header-malformed, header, two words",
            "query-empty, query, ''", "subprotocol-malformed, subprotocol, two words",
            "subprotocol-not-base64, subprotocol-raw, ***"})
    void aWrongOrMalformedCredentialIs401AndNeverReachesTheService(String id, String form, String token)
            throws Exception {
        UpgradeRejectedException refused = rejected(withCredential(options("/ws?case=" + id), form, token));

        assertEquals(401, refused.getStatus());
        assertEquals("application/problem+json", refused.getHeaders().get("Content-Type"));
        assertEquals("Bearer realm=\"monkeytown\", error=\"invalid_token\"",
                refused.getHeaders().get("WWW-Authenticate"));
        JsonObject problem = refused.getBody().toJsonObject();
        assertEquals(401, problem.getInteger("status"));
        assertEquals("/ws", problem.getString("instance"));
        assertTrue(token.isEmpty() || !problem.encode().contains(token), problem.encode());
        assertEquals(Optional.empty(), upgrade(id));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"header-and-query, header, query", "query-and-subprotocol, query, subprotocol",
            "header-and-subprotocol, header, subprotocol", "query-twice, query, query"})
    void moreThanOneCredentialIs400(String id, String first, String second) throws Exception {
        WebSocketConnectOptions options = withCredential(withCredential(options("/ws?case=" + id), first,
                TestTokens.VIEWER), second, TestTokens.VIEWER);

        UpgradeRejectedException refused = rejected(options);

        assertEquals(400, refused.getStatus());
        assertEquals("application/problem+json", refused.getHeaders().get("Content-Type"));
        assertTrue(refused.getBody().toJsonObject().getString("detail").contains("2 bearer credentials"));
        assertEquals(Optional.empty(), upgrade(id));
    }

    private WebSocketConnectOptions options(String uri) {
        return new WebSocketConnectOptions().setHost(gateway.getHost()).setPort(gateway.getPort()).setURI(uri);
    }

    private static WebSocketConnectOptions withCredential(WebSocketConnectOptions options, String form, String token) {
        return switch (form) {
            case "header" -> options.putHeader("Authorization", "Bearer " + token);
            case "query" -> options.setURI(options.getURI() + "&access_token=" + token.replace(" ", "%20"));
            case "subprotocol" -> options.addSubProtocol(ProxyDownstreams.SUBPROTOCOL)
                    .addSubProtocol(BearerSubprotocol.PREFIX + base64url(token));
            case "subprotocol-raw" -> options.addSubProtocol(BearerSubprotocol.PREFIX + token);
            default -> throw new IllegalArgumentException(form);
        };
    }

    private static WebSocket connect(WebSocketConnectOptions options) throws Exception {
        return vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture().get(10,
                TimeUnit.SECONDS);
    }

    private static UpgradeRejectedException rejected(WebSocketConnectOptions options) throws Exception {
        try {
            WebSocket socket = connect(options);
            socket.close();
            throw new AssertionError("the upgrade was accepted");
        } catch (ExecutionException e) {
            return assertInstanceOf(UpgradeRejectedException.class, e.getCause());
        }
    }

    private static String roundTrip(WebSocket socket, String text) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        socket.textMessageHandler(answer::complete);
        socket.writeTextMessage(text);
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } finally {
            socket.close();
        }
    }

    /** The upgrade request the downstream received for this test case, if any. */
    private static Optional<JsonObject> upgrade(String id) {
        String base = ConfigProvider.getConfig().getValue("test.downstream.base", String.class);
        JsonArray upgrades = new JsonArray(given().get(base + "/upgrades").asString());
        List<JsonObject> mine = upgrades.stream().map(JsonObject.class::cast)
                .filter(upgrade -> List.of(String.valueOf(upgrade.getString("query")).split("&"))
                        .contains("case=" + id))
                .toList();
        assertTrue(mine.size() <= 1, mine.toString());
        return mine.stream().findFirst();
    }

    /** Neither the token nor its base64url form appears anywhere in what the service received. */
    private static void assertNoCredentialIn(JsonObject upgrade, String token) {
        String received = upgrade.encode();
        assertFalse(received.contains(token), received);
        assertFalse(received.contains(base64url(token)), received);
        assertFalse(received.contains("access_token"), received);
        assertFalse(received.contains(BearerSubprotocol.PREFIX), received);
        assertNull(upgrade.getJsonObject("headers").getString("authorization"));
    }

    private static String base64url(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }
}
