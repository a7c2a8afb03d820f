package dev.monkeytown.kit.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The contract of every service the gateway forwards {@code push} deliveries to. GitHub sends push payloads of up to
 * 25 MB and the gateway forwards bodies up to its cap of 25 MiB: a body that large must reach the service's webhook
 * endpoint, or the gateway answers GitHub 503 for a delivery that can never be taken. Each such service extends this in
 * a {@code @QuarkusTest}.
 */
public abstract class ForwardedPushBodyTest {

    private static final int GATEWAY_WEBHOOK_CAP = 25 * 1024 * 1024;

    @Test
    void aPushAsLargeAsTheGatewayForwardsIsTaken() {
        given().header("X-Monkeytown-Internal-Token", internalToken()).contentType(ContentType.JSON)
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", "large-push").body(pushOf(GATEWAY_WEBHOOK_CAP))
                .post("/internal/webhooks/github").then().statusCode(202);
    }

    @Test
    void aBodyPastThatCapIsRefusedAsTooLarge() throws Exception {
        // asks first (100-continue), as a client should: the service answers 413 before any of the body is sent
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                + "/internal/webhooks/github")).expectContinue(true)
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", "too-large-push")
                .header("X-Monkeytown-Internal-Token", internalToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(pushOf(GATEWAY_WEBHOOK_CAP + 2 * 1024 * 1024))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
    }

    private static String internalToken() {
        return ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class);
    }

    /**
     * A push event of exactly {@code size} bytes, made large by many commits (as a huge push is: GitHub lists up to
     * 2,048 commits with their messages and changed files).
     */
    public static byte[] pushOf(int size) {
        StringBuilder json = new StringBuilder("{\"ref\":\"refs/heads/main\",\"before\":\"").append("1".repeat(40))
                .append("\",\"after\":\"").append("2".repeat(40))
                .append("\",\"repository\":{\"full_name\":\"monkeytown/monkeytown\"},\"commits\":[");
        String tail = "{\"message\":\"last\"}]}";
        String open = "{\"message\":\"";
        String close = "\"},";
        String commit = open + "x".repeat(4_000) + close;
        // the last commit's message makes up the rest exactly, so it needs room for its own brackets
        while (json.length() + commit.length() + open.length() + close.length() + tail.length() <= size) {
            json.append(commit);
        }
        json.append(open).append("y".repeat(size - json.length() - open.length() - close.length() - tail.length()))
                .append(close);
        return json.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
    }
}
