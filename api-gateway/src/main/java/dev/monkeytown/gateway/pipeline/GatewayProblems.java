package dev.monkeytown.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.kit.problem.Problem;
import dev.monkeytown.kit.problem.ProblemType;

/**
 * Ends a request on the gateway's Vert.x routes with an RFC 9457 problem, shaped exactly like the ones the service
 * kit's JAX-RS mappers write, so a client sees one error model whichever layer refused it. A body left unread is
 * dropped and the connection then closed ({@link UnreadBody}), whichever route refused it: left alone, it would hold
 * the keep-alive connection until the idle timeout.
 */
public final class GatewayProblems {

    private GatewayProblems() {
    }

    public static void send(RoutingContext ctx, int status, String detail) {
        send(ctx, ProblemType.HTTP_STATUS, status, detail, Map.of());
    }

    public static void send(RoutingContext ctx, int status, String detail, Map<String, String> headers) {
        send(ctx, ProblemType.HTTP_STATUS, status, detail, headers);
    }

    public static void send(RoutingContext ctx, ProblemType type, int status, String detail,
            Map<String, String> headers) {
        if (ctx.response().headWritten()) {
            ctx.response().reset(); // too late for a problem body: the client sees the connection end
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri().toString());
        body.put("title", type.title(status));
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.request().path());
        headers.forEach(ctx.response()::putHeader);
        if (UnreadBody.discard(ctx)) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(new JsonObject(body).encode());
    }
}
