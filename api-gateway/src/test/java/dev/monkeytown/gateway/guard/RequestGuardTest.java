package dev.monkeytown.gateway.guard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.monkeytown.gateway.RawConnection;
import dev.monkeytown.gateway.auth.TestTokens;
import dev.monkeytown.gateway.proxy.ProxyDownstreams;

/**
 * Paths and bodies the gateway refuses before forwarding, sent as raw bytes on a socket: HTTP client libraries
 * normalise {@code ..} and re-encode paths, which would hide exactly what is under test.
 */
@QuarkusTest
@WithTestResource(ProxyDownstreams.class)
class RequestGuardTest {

    @TestHTTPResource("/")
    URL gateway;

    @ParameterizedTest
    @CsvSource({"/api/v1/../q/metrics, 400", "/api/v1/agents/%2e%2e/x, 400", "/api/v1/agents/..%2f..%2f, 400",
            "/api/v1/agents/%252e%252e/x, 400", "/api/v1/agents/a%5cb, 400", "/api/v1//agents, 400",
            "/api/v1/agents/./greeter, 400", "/api/v1/agents/%00, 400", "/api/v1/nothing, 404", "/api/v1, 404",
            "/api/v1/, 404", "/api/v1/webhooks/other, 404"})
    void refusedPathsAreProblems(String path, int status) throws IOException {
        String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
        assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
        if (status == 404) {
            assertTrue(response.contains("No such route: " + path + "; the public API is described at "
                    + "/api/v1/openapi.json"), response);
        }
    }

    @ParameterizedTest
    @CsvSource({"/internal/info, 404", "/api/v1/agents;x, 400", "/api/v1/runs, 401", "/api/v1/webhooks/github, 503",
            "/ws, 400", "/api/v1/openapi.json, 405"})
    void aRefusalWithTheBodyUnreadIsAnsweredAndTheConnectionThenClosed(String path, int status) throws IOException {
        try (RawConnection client = new RawConnection(gateway, 15_000)) {
            client.send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{");

            String response = client.response();
            assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
            assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
            // the rest of the body will never be read: the connection must not wait for it (or for a next request)
            client.awaitClosed();
        }
    }

    @Test
    void anIdleConnectionIsClosedWithinSecondsNotHalfAnHour() {
        Duration idle = ConfigProvider.getConfig().getValue("quarkus.http.idle-timeout", Duration.class);
        assertTrue(idle.compareTo(Duration.ofMinutes(1)) <= 0, "quarkus.http.idle-timeout is " + idle);
    }

    @Test
    void anOversizeJsonBodyIsRefusedByItsContentLengthBeforeItIsSent() throws IOException {
        String response = raw("POST /api/v1/agents/greeter/runs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.OPERATOR + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413 "), response);
        assertTrue(response.contains("\"detail\":\"The JSON body exceeds the limit of 1048576 bytes.\""), response);
    }

    @Test
    void anOversizeArtifactIsRefusedByItsContentLength() throws IOException {
        String response = raw("PUT /api/v1/artifacts/a-1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.OPERATOR + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + (301L * 1024 * 1024) + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413 "), response);
        assertTrue(response.contains("The artifact upload exceeds the limit of 314572800 bytes."), response);
    }

    @Test
    void aNonJsonBodyOnAJsonRouteIs415() {
        given().auth().oauth2(TestTokens.OPERATOR).contentType("text/plain").body("run it")
                .post("/api/v1/agents/greeter/runs")
                .then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("takes application/json"));
    }

    @Test
    void aJsonVariantAndAnArtifactUploadPass() {
        given().auth().oauth2(TestTokens.OPERATOR).contentType("application/merge-patch+json").body("{}")
                .patch("/api/v1/deployments/d-1").then().statusCode(200).body("bodyBytes", is(2));
        given().auth().oauth2(TestTokens.OPERATOR).contentType("application/octet-stream").body(new byte[2_000_000])
                .post("/api/v1/artifacts").then().statusCode(200).body("bodyBytes", is(2_000_000));
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                response.write(buffer, 0, read);
                if (complete(response.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A head and a Content-Length body: enough to judge, without waiting for a close the server may not send. */
    private static boolean complete(String response) {
        int headEnd = response.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        int at = response.toLowerCase().indexOf("content-length: ");
        if (at < 0 || at > headEnd) {
            return false;
        }
        int length = Integer.parseInt(response.substring(at + 16, response.indexOf("\r\n", at)).trim());
        assertEquals(true, length >= 0);
        return response.length() >= headEnd + 4 + length;
    }
}
