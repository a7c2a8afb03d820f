package dev.monkeytown.artifact.clients;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * Test only: a stand-in for the gateway's {@code /v2/} route inside this module, whose {@code @QuarkusTest}s cannot
 * start the gateway (docs/artifacts.md, "Gateway", says what the real one does; system-tests'
 * {@code RegistryThroughGatewayIT} drives skopeo through the real one). It does the minimum the real clients need:
 * the Basic challenge for anonymous callers, Basic credentials whose password is the one suite token it knows turned
 * into the suite's headers, and both bodies streamed. A real client (oras) can only reach the service this way:
 * they cannot send the internal token.
 */
final class GatewayStandIn implements AutoCloseable {

    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "host", "authorization", "proxy-authorization");
    private static final String UNAUTHORIZED = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
            + "\"authentication required\"}]}";

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient();
    private final HttpServer server;
    private final int servicePort;
    private final String internalToken;
    private final String suiteToken;
    private final String role;

    private GatewayStandIn(int servicePort, String internalToken, String suiteToken, String role) throws Exception {
        this.servicePort = servicePort;
        this.internalToken = internalToken;
        this.suiteToken = suiteToken;
        this.role = role;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static GatewayStandIn start(int servicePort, String internalToken, String suiteToken, String role)
            throws Exception {
        return new GatewayStandIn(servicePort, internalToken, suiteToken, role);
    }

    /** {@code 127.0.0.1:<port>}, as registry references name a host. */
    String host() {
        return "127.0.0.1:" + server.actualPort();
    }

    private void handle(HttpServerRequest in) {
        if (!authenticated(in.getHeader("Authorization"))) {
            in.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Basic realm=\"Monkeytown registry\", charset=\"UTF-8\"")
                    .putHeader("Content-Type", "application/json").end(UNAUTHORIZED);
            return;
        }
        in.pause();
        client.request(new RequestOptions().setMethod(in.method()).setHost("127.0.0.1").setPort(servicePort)
                .setURI(in.uri())).compose(out -> forward(in, out)).onComplete(result -> {
                    if (result.failed() && !in.response().headWritten()) {
                        in.response().setStatusCode(502).end();
                    }
                });
    }

    private Future<Void> forward(HttpServerRequest in, HttpClientRequest out) {
        in.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !name.startsWith("x-monkeytown-")) {
                out.headers().add(h.getKey(), h.getValue());
            }
        });
        out.putHeader("X-Monkeytown-Internal-Token", internalToken).putHeader("X-Monkeytown-User", "client-test")
                .putHeader("X-Monkeytown-Role", role);
        boolean body = in.getHeader("Content-Length") != null || in.getHeader("Transfer-Encoding") != null;
        Future<HttpClientResponse> sent;
        if (body && in.method() != HttpMethod.GET && in.method() != HttpMethod.HEAD) {
            sent = out.send(in);
        } else {
            in.resume();
            sent = out.send();
        }
        return sent.compose(response -> {
            HttpServerResponse back = in.response().setStatusCode(response.statusCode());
            response.headers().forEach(h -> {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    back.headers().add(h.getKey(), h.getValue());
                }
            });
            if (response.getHeader("Content-Length") == null && in.method() != HttpMethod.HEAD) {
                back.setChunked(true);
            }
            return response.pipeTo(back);
        });
    }

    private boolean authenticated(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return false;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            return credentials.substring(credentials.indexOf(':') + 1).equals(suiteToken);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
