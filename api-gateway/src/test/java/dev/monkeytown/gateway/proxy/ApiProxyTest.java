package dev.monkeytown.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import dev.monkeytown.gateway.auth.TestTokens;

@QuarkusTest
@WithTestResource(ProxyDownstreams.class)
class ApiProxyTest {

    private static final long MB = 1024 * 1024;

    @TestHTTPResource("/")
    URL gateway;

    static Vertx vertx;
    static HttpClient client;

    @BeforeAll
    static void startClient() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
    }

    @AfterAll
    static void stopClient() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/v1/agents, agent-dispatcher", "POST, /api/v1/agents/greeter/runs, agent-dispatcher",
            "GET, /api/v1/runs/r-1/log, agent-dispatcher", "PUT, /api/v1/builds/b-7, build-service",
            "PATCH, /api/v1/deployments/d-1, deploy-service", "DELETE, /api/v1/environments/staging, deploy-service",
            "GET, /api/v1/artifacts, artifact-service"})
    void eachRouteReachesItsServiceWithMethodPathQueryAndBody(String method, String path, String service) {
        boolean write = !method.equals("GET") && !method.equals("DELETE");
        var request = given().auth().oauth2(TestTokens.ADMIN).queryParam("limit", "5").queryParam("q", "a b");
        if (write) {
            request = request.contentType("application/json").body("{\"n\":1}");
        }
        Response response = request.request(method, path);
        response.then().log().ifValidationFails().statusCode(200)
                .body("method", is(method))
                .body("uri", is("/" + service + path + "?limit=5&q=a%20b"))
                .body("bodyBytes", is(write ? 7 : 0))
                .body("headers.x-monkeytown-user", is("ada"))
                .body("headers.x-monkeytown-role", is("admin"))
                .body("headers.authorization", nullValue()) // the credential stops at the gateway
                .body("body", is(write ? "{\"n\":1}" : ""));
    }

    @Test
    void addsTheInternalHeadersAndStripsTheClientsCopies() {
        String token = ConfigProvider.getConfig().getValue("monkeytown.internal.token", String.class);
        given().header("X-Monkeytown-Internal-Token", "forged-by-client")
                .header("X-Monkeytown-User", "root")
                .header("X-Monkeytown-Role", "admin")
                .header("X-Request-Id", "req-42")
                .header("Connection", "keep-alive, X-Hop")
                .header("X-Hop", "drop me")
                .header("X-Custom", "keep me")
                .get("/api/v1/agents")
                .then().statusCode(200)
                .header("X-Request-Id", "req-42")
                .header("Location", "/api/v1/runs/r-1") // relative, as the service sent it
                .header("Keep-Alive", nullValue()) // hop-by-hop from the service
                .body("headers.x-monkeytown-internal-token", is(token))
                .body("headers.x-monkeytown-user", is("anonymous"))
                .body("headers.x-monkeytown-role", is("anonymous"))
                .body("headers.x-request-id", is("req-42"))
                .body("headers.x-hop", nullValue())
                .body("headers.x-custom", is("keep me"))
                .body("headers.x-forwarded-for", not(emptyOrNullString()))
                .body("headers.x-forwarded-proto", is("http"))
                .body("headers.x-forwarded-host", startsWith("localhost"));
    }

    @Test
    void aGeneratedRequestIdIsForwarded() {
        Response response = given().get("/api/v1/builds");
        String id = response.header("X-Request-Id");
        response.then().statusCode(200).body("headers.x-request-id", is(id));
    }

    @Test
    void aLargeUploadStreamsThroughWithoutTheGatewayHoldingIt() throws Exception {
        long half = 100 * MB;
        Upload upload = new Upload(post("/api/v1/artifacts", "application/octet-stream"));
        long heapBefore = usedHeapAfterGc();

        upload.send(half).get(60, TimeUnit.SECONDS);
        // the first half reaches the service while the client still holds back the rest: a buffering proxy would
        // forward nothing before the end, and this would time out
        await().atMost(Duration.ofSeconds(60)).until(ApiProxyTest::downstreamReceived, is(half));
        long heapGrowth = usedHeapAfterGc() - heapBefore;

        upload.send(half).get(60, TimeUnit.SECONDS);
        JsonObject echo = upload.finish().get(60, TimeUnit.SECONDS);
        assertEquals(2 * half, echo.getLong("bodyBytes"));
        assertEquals("chunked", echo.getJsonObject("headers").getString("transfer-encoding"));
        assertTrue(heapGrowth < 32 * MB,
                "the heap grew by " + heapGrowth / MB + " MB while 100 MB of body were in flight: the proxy buffers");
    }

    @Test
    void aLargeResponseStreamsBack() throws Exception {
        long size = 150 * MB;
        AtomicLong received = new AtomicLong();
        RequestOptions options = options(HttpMethod.GET, "/api/v1/builds/b-1/big-response?bytes=" + size);
        HttpClientResponse response = client.request(options).compose(HttpClientRequest::send).compose(r -> {
            r.handler(chunk -> received.addAndGet(chunk.length())); // on the event loop, before any chunk arrives
            return r.end().map(r);
        }).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("application/octet-stream", response.getHeader("Content-Type"));
        assertEquals(size, received.get());
    }

    @Test
    void aChunkedJsonBodyPastTheLimitIs413() throws Exception {
        Upload upload = new Upload(post("/api/v1/agents/greeter/runs", "application/json"));
        upload.send(2 * MB); // the JSON limit is 1 MB; no Content-Length announces it
        HttpClientResponse response = upload.response.get(30, TimeUnit.SECONDS);
        assertEquals(413, response.statusCode());
        assertEquals("application/problem+json", response.getHeader("Content-Type"));
        JsonObject problem = upload.body.get(10, TimeUnit.SECONDS).toJsonObject();
        assertEquals(413, problem.getInteger("status"));
        assertTrue(problem.getString("detail").contains("1048576 bytes"), problem.encode());
    }

    @Test
    void aWebSocketUpgradePassesThroughToTheService() throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(gateway.getHost())
                .setPort(gateway.getPort()).setURI("/ws?after=3").setSubProtocols(List.of(ProxyDownstreams.SUBPROTOCOL));
        WebSocket socket = vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(ProxyDownstreams.SUBPROTOCOL, socket.subProtocol());
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        socket.textMessageHandler(text -> {
            if (!first.complete(text)) {
                second.complete(text);
            }
        });
        socket.writeTextMessage("hello");
        // no credential: no user header at all, so websocket-service can tell anonymous callers apart
        assertEquals("echo:hello user=null query=after=3", first.get(10, TimeUnit.SECONDS));
        socket.writeTextMessage("again");
        assertEquals("echo:again user=null query=after=3", second.get(10, TimeUnit.SECONDS));
        socket.close();
    }

    @Test
    void aPlainGetOnWsIs400() {
        given().get("/ws").then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("/ws is a WebSocket endpoint"));
    }

    /**
     * While the gateway waits on a service (its response head, a stalled response body, an upload it stopped reading),
     * the client's connection moves no byte, and Quarkus closes it after quarkus.http.idle-timeout. Every such
     * deadline of the proxy must come first, or the proxy's own check never fires: the client just sees its connection
     * drop, and nothing says which service stalled.
     */
    @Test
    void theProxysStallDeadlinesFireBeforeTheServerClosesASilentConnection() {
        Duration serverIdle = ConfigProvider.getConfig().getValue("quarkus.http.idle-timeout", Duration.class);
        for (String deadline : List.of("idle-timeout", "response-timeout", "body-timeout")) {
            Duration proxy = ConfigProvider.getConfig().getValue("monkeytown.gateway.proxy." + deadline,
                    Duration.class);
            assertTrue(proxy.compareTo(serverIdle) < 0, "monkeytown.gateway.proxy." + deadline + " (" + proxy
                    + ") must be shorter than quarkus.http.idle-timeout (" + serverIdle + ")");
        }
    }

    private HttpClientRequest post(String path, String contentType) throws Exception {
        RequestOptions options = options(HttpMethod.POST, path).putHeader("Content-Type", contentType)
                .putHeader("Authorization", "Bearer " + TestTokens.OPERATOR);
        HttpClientRequest request = client.request(options).toCompletionStage().toCompletableFuture().get(10,
                TimeUnit.SECONDS);
        return request.setChunked(true);
    }

    private RequestOptions options(HttpMethod method, String uri) {
        return new RequestOptions().setMethod(method).setHost(gateway.getHost()).setPort(gateway.getPort())
                .setURI(uri);
    }

    private static long downstreamReceived() {
        String base = ConfigProvider.getConfig().getValue("test.downstream.base", String.class);
        return Long.parseLong(given().get(base + "/stats").asString());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A request body generated on the fly, written with back-pressure, in as many steps as the test wants. */
    static final class Upload {
        private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);
        private final HttpClientRequest request;
        final CompletableFuture<HttpClientResponse> response = new CompletableFuture<>();
        final CompletableFuture<Buffer> body = new CompletableFuture<>();

        Upload(HttpClientRequest request) {
            this.request = request;
            request.response().onComplete(ar -> {
                if (ar.succeeded()) {
                    ar.result().body().onSuccess(body::complete).onFailure(body::completeExceptionally);
                    response.complete(ar.result());
                } else {
                    response.completeExceptionally(ar.cause());
                }
            });
        }

        CompletableFuture<Void> send(long bytes) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            vertx.runOnContext(v -> pump(bytes, sent));
            return sent;
        }

        private void pump(long remaining, CompletableFuture<Void> sent) {
            long left = remaining;
            while (left > 0 && !request.writeQueueFull() && !response.isDone()) {
                int size = (int) Math.min(CHUNK.length(), left);
                request.write(size == CHUNK.length() ? CHUNK : CHUNK.slice(0, size));
                left -= size;
            }
            if (left == 0 || response.isDone()) {
                request.drainHandler(null); // a stale one would write its remainder again at the next drain
                sent.complete(null);
                return;
            }
            long rest = left;
            request.drainHandler(v -> pump(rest, sent));
        }

        CompletableFuture<JsonObject> finish() {
            request.end();
            return body.thenApply(Buffer::toJsonObject);
        }
    }
}
