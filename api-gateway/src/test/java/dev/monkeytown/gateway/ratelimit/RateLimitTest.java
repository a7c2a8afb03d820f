package dev.monkeytown.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import dev.monkeytown.gateway.auth.TestTokens;

/** The limits over real HTTP: the clock only moves when a test turns it, so no request races the refill. */
@QuarkusTest
@TestProfile(RateLimitTestProfile.class)
class RateLimitTest {

    private static final String IP_AND_GLOBAL = "\"ip\";q=100;w=60, \"global\";q=1000;w=60";

    @Inject
    ManualRateLimitClock clock;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeEach
    void everyBucketFull() {
        clock.advance(Duration.ofHours(1));
    }

    private static Response from(String clientIp) {
        return given().header("X-Forwarded-For", clientIp).when().get("/api/v1/agents");
    }

    private static Response asOperator(String clientIp) {
        return given().header("X-Forwarded-For", clientIp).header("Authorization", "Bearer " + TestTokens.OPERATOR)
                .when().get("/api/v1/runs");
    }

    @Test
    void the101stAnonymousRequestInAMinuteFromOneAddressIsRefused() {
        Response first = from("203.0.113.1");
        assertNotEquals(429, first.statusCode());
        assertEquals(IP_AND_GLOBAL, first.header("RateLimit-Policy"));
        assertEquals("\"ip\";r=99;t=1", first.header("RateLimit"));
        for (int i = 2; i <= 100; i++) {
            assertNotEquals(429, from("203.0.113.1").statusCode(), "request " + i);
        }

        from("203.0.113.1").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .header("RateLimit-Policy", IP_AND_GLOBAL)
                .header("RateLimit", "\"ip\";r=0;t=60")
                .body("status", is(429))
                .body("detail", containsString("'ip' of 100 requests a minute"));

        from("203.0.113.2").then().statusCode(not(429)).header("RateLimit", "\"ip\";r=99;t=1");
    }

    @Test
    void tokensComeBackAsTheClockAdvances() {
        for (int i = 0; i < 100; i++) {
            from("203.0.113.3");
        }
        from("203.0.113.3").then().statusCode(429);
        clock.advance(Duration.ofMillis(600));
        from("203.0.113.3").then().statusCode(not(429)).header("RateLimit", "\"ip\";r=0;t=60");
        from("203.0.113.3").then().statusCode(429);
        clock.advance(Duration.ofMinutes(1));
        from("203.0.113.3").then().statusCode(not(429)).header("RateLimit", "\"ip\";r=99;t=1");
    }

    @Test
    void anAuthenticatedUserGets500WhereverTheyCallFrom() {
        for (int i = 1; i <= 500; i++) {
            Response response = asOperator("198.51.100." + (i % 7));
            assertNotEquals(429, response.statusCode(), "request " + i);
        }
        asOperator("198.51.100.99").then().statusCode(429)
                .header("RateLimit-Policy", "\"user\";q=500;w=60, \"global\";q=1000;w=60")
                .header("RateLimit", "\"user\";r=0;t=60")
                .header("Retry-After", "1");
        from("198.51.100.99").then().statusCode(not(429)); // the address itself has its own, untouched bucket
    }

    @Test
    void theGlobalCapHoldsAcrossAddresses() {
        for (int address = 0; address < 10; address++) {
            for (int i = 0; i < 100; i++) {
                assertNotEquals(429, from("192.0.2." + address).statusCode());
            }
        }
        from("192.0.2.200").then().statusCode(429)
                .header("RateLimit", "\"global\";r=0;t=60")
                .header("Retry-After", "1")
                .body("detail", containsString("'global' of 1000"));
        asOperator("192.0.2.201").then().statusCode(429); // users too
    }

    @Test
    void guessingTokensCountsAgainstTheAddress() {
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.66").header("Authorization", "Bearer guess-" + i)
                    .when().get("/api/v1/agents").then().statusCode(401);
        }
        given().header("X-Forwarded-For", "203.0.113.66").header("Authorization", "Bearer guess-100")
                .when().get("/api/v1/agents").then().statusCode(429);
    }

    @Test
    void registryRequestsWithBasicCredentialsCountAgainstTheUser() {
        // a docker pull is 3-20 requests, HEADs included: all of them are the user's, wherever they come from
        String basic = basic(TestTokens.OPERATOR);
        for (int i = 1; i <= 500; i++) {
            Response response = given().header("X-Forwarded-For", "198.51.100." + (i % 7))
                    .header("Authorization", basic).when().head("/v2/builds/web/manifests/v1");
            assertNotEquals(429, response.statusCode(), "request " + i);
        }
        given().header("X-Forwarded-For", "198.51.100.99").header("Authorization", basic).when().get("/v2/")
                .then().statusCode(429)
                .header("RateLimit", "\"user\";r=0;t=60")
                .header("Retry-After", "1")
                .contentType("application/json")
                .body("errors[0].code", is("TOOMANYREQUESTS"));
    }

    @Test
    void guessingRegistryPasswordsCountsAgainstTheAddress() {
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.67").header("Authorization", basic("guess-" + i))
                    .when().get("/v2/").then().statusCode(401).body("errors[0].code", is("UNAUTHORIZED"));
        }
        given().header("X-Forwarded-For", "203.0.113.67").header("Authorization", basic("guess-100"))
                .when().get("/v2/").then().statusCode(429).header("Retry-After", "1")
                .contentType("application/json")
                .body("errors[0].code", is("TOOMANYREQUESTS"));
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("ci:" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void forwardedForFromAnUntrustedSocketIsIgnored() throws IOException {
        // 127.0.0.2 is not a trusted proxy: every request counts against it, whatever client it claims to relay
        for (int i = 0; i < 100; i++) {
            assertTrue(rawGetFrom127002("198.51.100." + i).startsWith("HTTP/1.1 "));
        }
        String refused = rawGetFrom127002("198.51.100.250");
        assertTrue(refused.startsWith("HTTP/1.1 429"), refused);
        assertTrue(refused.contains("RateLimit: \"ip\";r=0;t=60"), refused);
        from("127.0.0.2").then().statusCode(429); // and through a trusted proxy it is the same, exhausted client
    }

    @Test
    void theWebSocketPathIsLimitedToo() {
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.77").when().get("/ws");
        }
        given().header("X-Forwarded-For", "203.0.113.77").when().get("/ws").then().statusCode(429);
    }

    @Test
    void guessingWebSocketTokensCountsAgainstTheAddress() {
        // a plain GET is enough: authentication runs before the proxy asks for an upgrade
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.78").queryParam("access_token", "guess-" + i)
                    .when().get("/ws").then().statusCode(401);
        }
        given().header("X-Forwarded-For", "203.0.113.78").queryParam("access_token", "guess-100")
                .when().get("/ws").then().statusCode(429);
    }

    @Test
    void requestsUnderTheWebhookPathThatAreNoDeliveriesCountAgainstTheirAddress() {
        // seen in production: 1,100 of these from one address passed and drained the global bucket
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.90").when().get("/api/v1/webhooks/github/x" + i)
                    .then().statusCode(not(429));
        }
        given().header("X-Forwarded-For", "203.0.113.90").when().get("/api/v1/webhooks/github/x")
                .then().statusCode(429).header("RateLimit", "\"ip\";r=0;t=60");
        given().header("X-Forwarded-For", "203.0.113.90").when().get("/api/v1/webhooks/github")
                .then().statusCode(429);
        from("203.0.113.91").then().statusCode(not(429)).header("RateLimit", "\"ip\";r=99;t=1");
    }

    @Test
    void unknownRoutesCountAgainstTheirAddress() {
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.95").when().get("/api/v1/nothing/" + i)
                    .then().statusCode(404);
        }
        given().header("X-Forwarded-For", "203.0.113.95").when().get("/api/v1/nothing")
                .then().statusCode(429);
    }

    @Test
    void deliveriesCountAgainstTheirAddressUntilTheirSignatureVerifies() {
        byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 100; i++) {
            delivery("203.0.113.92", body, "sha256=" + "0".repeat(64)).then().statusCode(401);
        }
        delivery("203.0.113.92", body, sign(body)).then().statusCode(429)
                .header("RateLimit", "\"ip\";r=0;t=60");
    }

    @Test
    void signedDeliveriesGiveTheirAddressItsTokenBack() {
        // GitHub delivers from a few shared addresses: a busy repository must not run them dry
        for (int i = 0; i < 150; i++) {
            byte[] body = ("{\"action\":\"opened\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            delivery("203.0.113.93", body, sign(body)).then().statusCode(202);
        }
        from("203.0.113.93").then().statusCode(not(429)).header("RateLimit", "\"ip\";r=99;t=1");
    }

    @Test
    void aReplayedSignedBodyKeepsCostingItsAddress() {
        // only the body is signed: a captured delivery replays under fresh delivery ids, and must not be free
        byte[] body = "{\"action\":\"opened\",\"captured\":true}".getBytes(StandardCharsets.UTF_8);
        delivery("203.0.113.97", body, sign(body)).then().statusCode(202);
        // 100 replays empty the address's bucket; a few more cover what it refills meanwhile
        int replays = 0;
        while (delivery("203.0.113.97", body, sign(body)).then().extract().statusCode() != 429) {
            replays++;
            assertTrue(replays < 130, "130 replays of one body were all let through free of charge");
        }
    }

    @Test
    void healthIsLimitedLikeTheRest() {
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.94").when().get("/health").then().statusCode(not(429));
        }
        given().header("X-Forwarded-For", "203.0.113.94").when().get("/health").then().statusCode(429)
                .contentType("application/problem+json");
    }

    @Test
    void thePublicApiDocumentIsLimitedLikeTheRest() {
        for (int i = 0; i < 100; i++) {
            given().header("X-Forwarded-For", "203.0.113.96").when().get("/api/v1/openapi.json")
                    .then().statusCode(200);
        }
        given().header("X-Forwarded-For", "203.0.113.96").when().get("/api/v1/openapi.json").then().statusCode(429);
    }

    private static Response delivery(String clientIp, byte[] body, String signature) {
        return given().header("X-Forwarded-For", clientIp)
                .header("X-GitHub-Event", "issues")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature)
                .contentType("application/json").body(body)
                .when().post("/api/v1/webhooks/github");
    }

    private static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(RateLimitTestProfile.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One HTTP/1.1 request over a socket bound to 127.0.0.2; returns the status line and headers. */
    private String rawGetFrom127002(String forwardedFor) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName(gateway.getHost()), gateway.getPort(),
                InetAddress.getByName("127.0.0.2"), 0)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/agents HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + forwardedFor
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            StringBuilder head = new StringBuilder();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
            }
            return head.toString();
        }
    }
}
