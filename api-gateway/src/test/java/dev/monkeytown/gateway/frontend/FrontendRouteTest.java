package dev.monkeytown.gateway.frontend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The dashboard as a browser and a CDN see it: the frontend module's real build, served by the gateway. */
@QuarkusTest
class FrontendRouteTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void theRootIsTheDashboardRevalidatedOnEveryLoadWithTheSecurityHeaders() throws Exception {
        HttpResponse<String> index = get("/", "");
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", header(index, "Content-Type"));
        assertEquals("no-cache", header(index, "Cache-Control"));
        assertTrue(header(index, "ETag").startsWith("W/\""), header(index, "ETag"));
        assertTrue(header(index, "Content-Security-Policy").contains("script-src 'self'"));
        assertTrue(header(index, "Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertEquals("nosniff", header(index, "X-Content-Type-Options"));
        assertEquals("no-referrer", header(index, "Referrer-Policy"));
        assertTrue(index.body().contains("<meta name=\"monkeytown-build\""), index.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/agents", "/agents/greeter", "/runs/01JD9ZQ5W2X3", "/builds", "/deployments/",
            "/artifacts", "/alerts"})
    void aPageUrlIsAnsweredWithTheDashboardSoDeepLinksSurviveAReload(String page) throws Exception {
        HttpResponse<String> response = get(page, "");
        assertEquals(200, response.statusCode());
        assertEquals(get("/", "").body(), response.body());
        assertEquals("no-cache", header(response, "Cache-Control"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nowhere", "/manifest.json", "/agents/.hidden", "/runs/a%2fb", "/assets/missing.js",
            "/META-INF/monkeytown-frontend/index.html", "/index.html.gz"})
    void nothingOutsideTheBuildAndThePagesIsServed(String path) throws Exception {
        HttpResponse<String> response = get(path, "");
        // 404, or 400 where the path guard refuses the path itself (an encoded separator)
        assertTrue(response.statusCode() == 404 || response.statusCode() == 400, path + " answered " + response.body());
        assertFalse(response.body().contains("monkeytown-build"));
    }

    @Test
    void hashedAssetsAreImmutableAndComePrecompressedInTheBestCodingTheClientTakes() throws Exception {
        String script = scriptOf(get("/", "").body());
        HttpResponse<byte[]> plain = getBytes(script, "");
        HttpResponse<byte[]> gzip = getBytes(script, "gzip, deflate");
        HttpResponse<byte[]> brotli = getBytes(script, "gzip, deflate, br");
        HttpResponse<byte[]> brRefused = getBytes(script, "br;q=0, gzip");

        for (HttpResponse<byte[]> response : new HttpResponse[]{plain, gzip, brotli, brRefused}) {
            assertEquals(200, response.statusCode());
            assertEquals("public, max-age=31536000, immutable", header(response, "Cache-Control"));
            assertEquals("text/javascript; charset=utf-8", header(response, "Content-Type"));
            assertEquals("Accept-Encoding", header(response, "Vary"));
            assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        }
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        assertEquals("gzip", header(gzip, "Content-Encoding"));
        assertEquals("br", header(brotli, "Content-Encoding"));
        assertEquals("gzip", header(brRefused, "Content-Encoding"));
        assertArrayEquals(plain.body(), gunzip(gzip.body()));
        assertTrue(brotli.body().length < gzip.body().length, "brotli should beat gzip on a JS bundle");
        assertEquals(String.valueOf(brotli.body().length), header(brotli, "Content-Length"));
    }

    @Test
    void anUnchangedDashboardIsA304() throws Exception {
        String etag = header(get("/", ""), "ETag");
        HttpResponse<String> again = HTTP.send(request("/runs", "").header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        HttpResponse<String> other = HTTP.send(request("/", "").header("If-None-Match", "W/\"other\"").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, other.statusCode());
    }

    @Test
    void theVersionDocumentNamesTheBuildTheIndexCarries() throws Exception {
        HttpResponse<String> version = get("/version.json", "");
        assertEquals(200, version.statusCode());
        assertEquals("no-cache", header(version, "Cache-Control"));
        Matcher build = Pattern.compile("\"build\":\"([0-9a-f]+)\"").matcher(version.body());
        assertTrue(build.find(), version.body());
        assertTrue(get("/", "").body().contains("content=\"" + build.group(1) + "\""));
    }

    @Test
    void headAnswersWithoutABodyAndOtherMethodsPassOn() throws Exception {
        HttpResponse<String> head = HTTP.send(request("/", "").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        HttpResponse<String> post = HTTP.send(request("/", "").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertNotEquals(200, post.statusCode());
    }

    @Test
    void theApiIsNotShadowedByTheDashboard() throws Exception {
        HttpResponse<String> api = get("/api/v1/nothing", "");
        assertEquals(404, api.statusCode());
        assertEquals("application/problem+json", header(api, "Content-Type"));
    }

    private static String scriptOf(String html) {
        Matcher script = Pattern.compile("<script type=\"module\" crossorigin src=\"(/assets/[^\"]+\\.js)\"")
                .matcher(html);
        assertTrue(script.find(), html);
        return script.group(1);
    }

    private HttpRequest.Builder request(String path, String acceptEncoding) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.toString()).resolve(path));
        if (!acceptEncoding.isEmpty()) {
            builder.header("Accept-Encoding", acceptEncoding);
        }
        return builder;
    }

    private HttpResponse<String> get(String path, String acceptEncoding) throws IOException, InterruptedException {
        return HTTP.send(request(path, acceptEncoding).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> getBytes(String path, String acceptEncoding) throws IOException, InterruptedException {
        return HTTP.send(request(path, acceptEncoding).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("<absent: " + name + ">");
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
