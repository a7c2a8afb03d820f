package dev.monkeytown.gateway.proxy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.auth.AccessTokenQuery;
import dev.monkeytown.gateway.auth.BearerSubprotocol;
import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.classify.Destination;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.pipeline.Principal;
import dev.monkeytown.kit.security.InternalToken;

/**
 * {@code /ws}: passes the browser's WebSocket upgrade through to websocket-service and, once the service switches
 * protocols, tunnels the bytes both ways. The handshake (key, version, subprotocol, extensions) is end to end between
 * browser and service; the gateway adds only its internal headers and removes the credential (the {@code access_token}
 * parameter, the bearer subprotocol entry; see {@code auth.WebSocketAuthenticationRoute}), so it needs no WebSocket
 * configuration of its own. Each caller may hold a bounded number of tunnels ({@link WebSocketConfig}), and each tunnel
 * queues at most {@code max-queued-bytes} per direction before back-pressure stops reading the other side.
 */
@ApplicationScoped
public class WebSocketProxyRoute {

    static final String SERVICE = "websocket-service";

    private final ServiceClients clients;
    private final ProxyConfig config;
    private final InternalToken internalToken;
    private final WebSocketConfig limits;
    private final WebSocketConnections connections = new WebSocketConnections();

    WebSocketProxyRoute(ServiceClients clients, ProxyConfig config, InternalToken internalToken,
            WebSocketConfig limits) {
        this.clients = clients;
        this.config = config;
        this.internalToken = internalToken;
        this.limits = limits;
    }

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.PROXY).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        Classification classified = Classification.of(ctx);
        if (classified.destination() != Destination.WEBSOCKET) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.GET || !isWebSocketUpgrade(request)) {
            GatewayProblems.send(ctx, 400, "/ws is a WebSocket endpoint: open it with GET and 'Upgrade: websocket'.");
            return;
        }
        Principal caller = Principal.of(ctx);
        Optional<WebSocketConnections.Slot> slot = caller.isAnonymous()
                ? connections.tryOpen("ip " + classified.client(), limits.maxConnectionsPerIp())
                : connections.tryOpen("user " + caller.user(), limits.maxConnectionsPerUser());
        if (slot.isEmpty()) {
            GatewayProblems.send(ctx, 429, (caller.isAnonymous()
                    ? "Your address holds " + limits.maxConnectionsPerIp()
                    : caller.user() + " holds " + limits.maxConnectionsPerUser())
                    + " open WebSocket connections, the most allowed; close one before opening another.",
                    Map.of("Retry-After", "1"));
            return;
        }
        request.pause();
        ServiceClients.Target target = clients.target(SERVICE);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                // the credential forms only /ws accepts stop here, like Authorization does in ForwardedHeaders
                .setURI(target.uri(request.path(), AccessTokenQuery.without(request.query())))
                .setHeaders(headersFor(request, Principal.of(ctx)))
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.responseTimeout().toMillis()); // until the 101; a tunnel has no idle timer
        target.client().request(options).compose(HttpClientRequest::connect).onComplete(answered -> {
            if (answered.failed() || answered.result().statusCode() != 101) {
                slot.get().release();
            }
            if (answered.failed()) {
                DownstreamFailure failure = DownstreamFailure.classify(SERVICE, answered.cause(),
                        config.connectTimeout().toMillis());
                Log.warnf("WebSocket upgrade: %s answered %d (%s)", SERVICE, failure.status(), answered.cause());
                GatewayProblems.send(ctx, failure.status(), failure.detail());
                return;
            }
            HttpClientResponse response = answered.result();
            if (response.statusCode() != 101) {
                refused(ctx, response);
                return;
            }
            ctx.response().setStatusCode(101);
            ForwardedHeaders.copyToClient(response.headers(), ctx.response().headers(), true);
            request.toNetSocket().onComplete(switched -> {
                NetSocket service = response.netSocket();
                if (switched.failed()) {
                    slot.get().release();
                    service.close();
                    return;
                }
                tunnel(switched.result(), service, (int) limits.maxQueuedBytes().asLongValue(), slot.get());
            });
        });
    }

    private MultiMap headersFor(HttpServerRequest request, Principal caller) {
        MultiMap headers = ForwardedHeaders.toService(request, caller, internalToken.value().orElse(null), true);
        BearerSubprotocol.removeFrom(headers);
        if (caller.isAnonymous()) {
            // websocket-service takes any X-Monkeytown-User next to the internal token as a user the gateway
            // authenticated (monkeytown.ws.anonymous=false); "anonymous" must not count as one
            headers.remove(ForwardedHeaders.USER);
            headers.remove(ForwardedHeaders.ROLE);
        }
        return headers;
    }

    /** The service declined the upgrade (e.g. 401, 404): its answer goes to the client as it is. */
    private static void refused(RoutingContext ctx, HttpClientResponse response) {
        ctx.response().setStatusCode(response.statusCode());
        ForwardedHeaders.copyToClient(response.headers(), ctx.response().headers(), false);
        response.body().onComplete(body -> {
            if (body.succeeded()) {
                ctx.response().end(body.result());
            } else {
                ctx.response().reset();
            }
        });
    }

    private static void tunnel(NetSocket client, NetSocket service, int maxQueued, WebSocketConnections.Slot slot) {
        // a pipe stops reading its source while its destination holds maxQueued unsent bytes
        client.setWriteQueueMaxSize(maxQueued);
        service.setWriteQueueMaxSize(maxQueued);
        // either side ending ends the other; pipes apply back-pressure both ways
        client.pipeTo(service).onFailure(e -> service.close());
        service.pipeTo(client).onFailure(e -> client.close());
        client.closeHandler(v -> {
            slot.release();
            service.close();
        });
        service.closeHandler(v -> {
            slot.release();
            client.close();
        });
    }

    static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        String connection = request.getHeader(HttpHeaders.CONNECTION);
        return upgrade != null && upgrade.trim().toLowerCase(Locale.ROOT).equals("websocket") && connection != null
                && connection.toLowerCase(Locale.ROOT).contains("upgrade");
    }
}
