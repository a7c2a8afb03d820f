package dev.monkeytown.gateway.openapi;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.classify.Destination;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;

/**
 * {@code GET /api/v1/openapi.json}: the public API document for the public, anonymous and rate limited like every other
 * request. It is the very document the management interface serves at {@code /q/openapi} (the gateway's own endpoints
 * plus the services' merged {@code /api/v1} paths, see {@link PublicApiOpenApiFilter}); that port is for operators
 * and the cluster, not the internet.
 */
@ApplicationScoped
class PublicApiDocumentRoute {

    private final OpenApiDocumentService documents;

    PublicApiDocumentRoute(OpenApiDocumentService documents) {
        this.documents = documents;
    }

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.PROXY).handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        if (Classification.of(ctx).destination() != Destination.API_DOCUMENT) {
            ctx.next();
            return;
        }
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            GatewayProblems.send(ctx, 405, "The API document is read with GET.", Map.of("Allow", "GET, HEAD"));
            return;
        }
        // the merge may ask the services (ServiceDocuments blocks, within its fetch timeout): not on the event loop
        ctx.vertx().executeBlocking(() -> documents.getDocument(OpenApiConstants.DEFAULT_DOCUMENT_NAME, Format.JSON),
                false).onComplete(document -> {
                    if (document.failed()) {
                        ctx.fail(document.cause());
                        return;
                    }
                    ctx.response().putHeader("Content-Type", "application/json;charset=UTF-8")
                            .end(Buffer.buffer(document.result()));
                });
    }
}
