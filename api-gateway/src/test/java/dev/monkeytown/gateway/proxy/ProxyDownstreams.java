package dev.monkeytown.gateway.proxy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.monkeytown.gateway.auth.TestTokens;

/**
 * The five services behind the gateway as one real Vert.x HTTP server, each under its own path prefix. It answers
 * every request with what it received (method, URI, headers, body size and the start of the body) without keeping the
 * body, so a test can push hundreds of MB through and the gateway's heap is the only place a body could pile up.
 * <p>
 * Special paths: {@code .../hang} never answers; {@code .../big-response?bytes=N} streams N bytes; {@code /stats}
 * (no prefix) reports the bytes received so far by the upload in progress, {@code /hangs} (no prefix) how many
 * {@code .../hang} requests arrived; {@code /websocket-service/ws} is a WebSocket
 * echo speaking subprotocol {@code monkeytown.v1}, and {@code /upgrades} (no prefix) lists every upgrade request
 * it received (URI, query, headers), so a test can see exactly what the gateway forwarded, or that it forwarded
 * nothing.
 * <p>
 * With init argument {@code mode=failing}, build-service and deploy-service point at a port nobody listens on.
 */
public class ProxyDownstreams implements QuarkusTestResourceLifecycleManager {

    static final List<String> SERVICES = List.of("websocket-service", "agent-dispatcher", "build-service",
            "deploy-service", "artifact-service");
    public static final String SUBPROTOCOL = "monkeytown.v1";

    private Vertx vertx;
    private boolean failing;
    private final AtomicLong receiving = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    private final Queue<JsonObject> upgrades = new ConcurrentLinkedQueue<>();

    @Override
    public void init(Map<String, String> initArgs) {
        failing = "failing".equals(initArgs.get("mode"));
    }

    @Override
    public int order() {
        return 100; // after the module's global DownstreamServices (WireMock), so these URLs win
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of(SUBPROTOCOL)))
                .requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test downstream did not start", e);
        }
        String base = "http://127.0.0.1:" + server.actualPort();
        Map<String, String> config = new HashMap<>();
        for (String name : SERVICES) {
            config.put("monkeytown.gateway.health.services." + name + ".url", base + "/" + name);
            config.put("monkeytown.gateway.health.services." + name + ".management-url", base + "/" + name);
        }
        if (failing) {
            String nobody = "http://127.0.0.1:" + unusedPort();
            config.put("monkeytown.gateway.health.services.build-service.url", nobody);
            config.put("monkeytown.gateway.health.services.build-service.management-url", nobody);
            config.put("monkeytown.gateway.health.services.deploy-service.url", nobody);
            config.put("monkeytown.gateway.health.services.deploy-service.management-url", nobody);
            config.put("monkeytown.gateway.proxy.response-timeout", "1s");
            config.put("monkeytown.gateway.proxy.breaker.failures", "3");
            config.put("monkeytown.gateway.proxy.breaker.open-for", "60s");
        }
        config.put("test.downstream.base", base);
        // artifact uploads above Quarkus' default 10 MB (the lead sets this in application.properties)
        config.put("quarkus.http.limits.max-body-size", "1G");
        config.put("monkeytown.gateway.limits.artifact-body", "300M");
        config.putAll(TestTokens.config()); // writes need an operator: tests send TestTokens.OPERATOR (user olga)
        // another engineer's limiter: these tests send far more than 100 anonymous requests a minute
        config.put("monkeytown.gateway.rate-limit.enabled", "false");
        return config;
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/stats")) {
            request.response().end(Long.toString(receiving.get()));
            return;
        }
        if (path.equals("/upgrades")) {
            request.response().putHeader("Content-Type", "application/json").end(new JsonArray(List.copyOf(upgrades))
                    .encode());
            return;
        }
        if (path.endsWith("/ws")) {
            upgrades.add(new JsonObject().put("uri", request.uri()).put("query", request.query())
                    .put("headers", headersOf(request)));
            request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> ws.writeTextMessage(
                    "echo:" + text + " user=" + request.getHeader("X-Monkeytown-User") + " query=" + request.query())));
            return;
        }
        if (path.equals("/hangs")) {
            request.response().end(Long.toString(hangs.get()));
            return;
        }
        if (path.endsWith("/hang")) {
            hangs.incrementAndGet();
            return; // never answers
        }
        if (path.endsWith("/big-response")) {
            streamBytes(request, Long.parseLong(request.getParam("bytes")));
            return;
        }
        receiving.set(0);
        Buffer start = Buffer.buffer();
        request.handler(chunk -> {
            receiving.addAndGet(chunk.length());
            if (start.length() < 65_536) {
                start.appendBuffer(chunk.slice(0, Math.min(chunk.length(), 65_536 - start.length())));
            }
        });
        request.endHandler(v -> {
            JsonObject headers = new JsonObject();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            JsonObject echo = new JsonObject()
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("headers", headers)
                    .put("bodyBytes", receiving.get())
                    .put("body", start.toString());
            request.response().setStatusCode(path.endsWith("/created") ? 201 : 200)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Location", "/api/v1/runs/r-1")
                    .putHeader("Connection", "keep-alive")
                    .putHeader("Keep-Alive", "timeout=5")
                    .end(echo.encode());
        });
    }

    /** Header names in lower case; a repeated header's values joined as one list. */
    private static JsonObject headersOf(HttpServerRequest request) {
        JsonObject headers = new JsonObject();
        for (String name : request.headers().names()) {
            headers.put(name.toLowerCase(), String.join(", ", request.headers().getAll(name)));
        }
        return headers;
    }

    /** Writes {@code total} bytes with back-pressure, as a service streaming a large artifact would. */
    private static void streamBytes(HttpServerRequest request, long total) {
        var response = request.response().setChunked(true).putHeader("Content-Type", "application/octet-stream");
        Buffer chunk = Buffer.buffer(new byte[65_536]);
        long[] sent = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (sent[0] < total && !response.writeQueueFull()) {
                int size = (int) Math.min(chunk.length(), total - sent[0]);
                response.write(size == chunk.length() ? chunk : chunk.slice(0, size));
                sent[0] += size;
            }
            if (sent[0] >= total) {
                response.end();
            } else {
                response.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
