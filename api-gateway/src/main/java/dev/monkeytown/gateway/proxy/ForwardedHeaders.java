package dev.monkeytown.gateway.proxy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import dev.monkeytown.gateway.pipeline.Principal;
import dev.monkeytown.kit.requestid.RequestId;
import dev.monkeytown.kit.security.InternalToken;

/**
 * The headers a proxied request and its response carry across the gateway. Hop-by-hop headers belong to one
 * connection and stop here; the {@code X-Monkeytown-*} headers are the trust boundary — services believe them — so a
 * client's copies are dropped and only the gateway's own are sent. The client's {@code Authorization} stops here too:
 * the gateway has turned it into {@code X-Monkeytown-User}/{@code -Role} (and {@code -Scope} for a token limited to
 * some repositories), and a bearer token copied to every service
 * would be one more place to leak it from.
 */
final class ForwardedHeaders {

    static final String USER = "X-Monkeytown-User";
    static final String ROLE = "X-Monkeytown-Role";
    static final String SCOPE = "X-Monkeytown-Scope";
    private static final String INTERNAL_PREFIX = "x-monkeytown-";

    // RFC 9110 7.6.1, plus the proxy-* family
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-connection", "proxy-authenticate", "proxy-authorization");

    private ForwardedHeaders() {
    }

    /**
     * What the service receives. {@code keepUpgrade} keeps {@code Connection}/{@code Upgrade} for a WebSocket upgrade,
     * which is the one hop-by-hop exchange a proxy must pass through.
     */
    static MultiMap toService(HttpServerRequest request, Principal principal, String internalToken,
            boolean keepUpgrade) {
        MultiMap in = request.headers();
        Set<String> namedByConnection = connectionTokens(in);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (var header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean upgradeHeader = name.equals("connection") || name.equals("upgrade");
            if (name.startsWith(INTERNAL_PREFIX) || name.equals("host") || name.equals("authorization")
                    || name.startsWith("x-forwarded-")
                    || name.equals("forwarded")
                    || ((HOP_BY_HOP.contains(name) || namedByConnection.contains(name))
                            && !(keepUpgrade && upgradeHeader))) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        if (internalToken != null) {
            out.set(InternalToken.HEADER, internalToken);
        }
        out.set(USER, principal.user());
        out.set(ROLE, principal.role().jsonName());
        if (!principal.repositories().isEmpty()) {
            // a client's own copy was dropped with the other X-Monkeytown-* headers above
            out.set(SCOPE, String.join(", ", principal.repositories()));
        }
        String requestId = request.getHeader(RequestId.HEADER); // the kit's RequestIdRoute made it safe
        if (requestId != null) {
            out.set(RequestId.HEADER, requestId);
        }
        String previous = in.get("X-Forwarded-For");
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        out.set("X-Forwarded-For", previous == null ? client : previous + ", " + client);
        out.set("X-Forwarded-Proto", request.scheme() == null ? "http" : request.scheme());
        String host = request.getHeader(HttpHeaders.HOST);
        if (host != null) {
            out.set("X-Forwarded-Host", host);
        }
        return out;
    }

    /**
     * What the client receives of a service's response headers: all but the hop-by-hop ones (Vert.x frames the body
     * itself) and the request id, which the gateway already echoes. {@code Location} stays as the service wrote it: the
     * services answer with paths relative to the public {@code /api/v1}, which the gateway keeps unchanged.
     */
    static void copyToClient(MultiMap fromService, MultiMap toClient, boolean keepUpgrade) {
        Set<String> namedByConnection = connectionTokens(fromService);
        for (var header : fromService) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean upgradeHeader = name.equals("connection") || name.equals("upgrade");
            if (name.equals("x-request-id")
                    || ((HOP_BY_HOP.contains(name) || namedByConnection.contains(name)) && !(keepUpgrade && upgradeHeader))) {
                continue;
            }
            toClient.add(header.getKey(), header.getValue());
        }
    }

    private static Set<String> connectionTokens(MultiMap headers) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        return new HashSet<>(Arrays.asList(connection.toLowerCase(Locale.ROOT).replace(" ", "").split(",")));
    }
}
