package dev.monkeytown.kit.requestid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;

/**
 * Gives every HTTP request (REST, health, metrics, WebSocket upgrade) a request id before any other handler runs: it is
 * put in the logging context and echoed on the response so a client can quote it.
 */
@ApplicationScoped
public class RequestIdRoute {

    // before Quarkus' own routes (body handler, REST, /q), which use orders from 0 upwards
    static final int ORDER = -1_000;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ctx -> {
            String id = RequestId.adoptOrCreate(ctx.request().getHeader(RequestId.HEADER));
            ctx.request().headers().set(RequestId.HEADER, id);
            ctx.response().putHeader(RequestId.HEADER, id);
            ctx.put(RequestId.MDC_KEY, id);
            MDC.put(RequestId.MDC_KEY, id);
            ctx.next();
        });
    }
}
