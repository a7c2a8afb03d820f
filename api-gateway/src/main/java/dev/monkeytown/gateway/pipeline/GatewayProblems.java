package dev.monkeytown.gateway.pipeline;

import java.util.Map;

import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.kit.problem.ProblemType;

/**
 * Ends a request on the gateway's Vert.x routes with an RFC 9457 problem, shaped exactly like the ones the service
 * kit's JAX-RS mappers write, so a client sees one error model whichever layer refused it — or, on the registry's
 * {@code /v2/}, with the OCI spec's error body: the request's {@link ErrorDialect}, decided by its classification. A
 * body left unread is dropped and the connection then closed ({@link UnreadBody}), whichever route refused it: left
 * alone, it would hold the keep-alive connection until the idle timeout.
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
        ErrorDialect dialect = ErrorDialect.of(ctx);
        dialect.headers().forEach(ctx.response()::putHeader);
        headers.forEach(ctx.response()::putHeader);
        if (UnreadBody.discard(ctx)) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", dialect.contentType())
                .end(dialect.body(ctx, type, status, detail));
    }
}
