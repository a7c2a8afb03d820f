package dev.monkeytown.gateway.openapi;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

import dev.monkeytown.gateway.health.SuiteHealthConfig;
import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.DownstreamFailures;

/**
 * The live OpenAPI documents of the services that own public routes, fetched together and reused for
 * {@code cache-ttl}. No internal token is sent: a service's {@code /q/*} is open (docs/architecture.md). Blocks the
 * caller; its one user, the OpenAPI filter, runs on a worker thread ({@code /q/openapi} is a blocking route).
 */
@ApplicationScoped
@Unremovable // looked up by PublicApiOpenApiFilter, which SmallRye OpenAPI creates outside CDI injection
public class ServiceDocuments {

    static final String OPENAPI_PATH = "/q/openapi";

    /** The services behind the public routes, in route-table order (which decides who keeps a clashing name). */
    static final List<String> SERVICES = Arrays.stream(ApiRoute.values())
            .map(ApiRoute::service)
            .distinct()
            .toList();

    private record Snapshot(long fetchedAtNanos, List<ServiceDocument> documents) {
    }

    private final WebClient client;
    private final SuiteHealthConfig addresses;
    private final PublicApiConfig config;
    private volatile Snapshot snapshot;

    ServiceDocuments(Vertx vertx, SuiteHealthConfig addresses, PublicApiConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.fetchTimeout().toMillis()).setFollowRedirects(false));
        this.addresses = addresses;
        this.config = config;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public List<ServiceDocument> current() {
        Snapshot current = snapshot;
        if (fresh(current)) {
            return current.documents();
        }
        synchronized (this) { // one fan-out at a time; requests waiting here get its result
            current = snapshot;
            if (!fresh(current)) {
                current = new Snapshot(System.nanoTime(), fetchAll());
                snapshot = current;
            }
            return current.documents();
        }
    }

    private boolean fresh(Snapshot current) {
        return current != null && System.nanoTime() - current.fetchedAtNanos() < config.cacheTtl().toNanos();
    }

    private List<ServiceDocument> fetchAll() {
        Duration timeout = config.fetchTimeout();
        List<Uni<ServiceDocument>> fetches = SERVICES.stream().map(service -> fetch(service, timeout)).toList();
        try {
            return Uni.join().all(fetches).andFailFast().await().atMost(timeout.plusSeconds(1));
        } catch (RuntimeException stuck) { // each fetch has its own timeout; this is the belt to those braces
            return SERVICES.stream()
                    .<ServiceDocument>map(service -> unavailable(service, "no answer within " + timeout.toMillis() + " ms"))
                    .toList();
        }
    }

    private Uni<ServiceDocument> fetch(String service, Duration timeout) {
        SuiteHealthConfig.Downstream downstream = addresses.services().get(service);
        if (downstream == null) {
            return Uni.createFrom().item(new ServiceDocument.Unavailable(service, "no address configured"));
        }
        return client.getAbs(documentUrl(downstream.managementUrl()))
                .addQueryParam("format", "json")
                .timeout(timeout.toMillis())
                .send()
                .ifNoItem().after(timeout).failWith(TimeoutException::new)
                .map(response -> read(service, response))
                .onFailure().recoverWithItem(failure -> unavailable(service, DownstreamFailures.describe(failure, timeout)));
    }

    /** Appends the document path, keeping any path prefix the base URL has (as the readiness probe does). */
    static String documentUrl(URI base) {
        String url = base.toString();
        return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + OPENAPI_PATH;
    }

    private static ServiceDocument read(String service, HttpResponse<?> response) {
        if (response.statusCode() != 200) {
            return unavailable(service, "answered HTTP " + response.statusCode());
        }
        try {
            JsonObject document = response.bodyAsJsonObject();
            return document == null
                    ? unavailable(service, "answered an empty body")
                    : new ServiceDocument.Fetched(service, document);
        } catch (RuntimeException notJson) {
            return unavailable(service, "answered something that is not a JSON document");
        }
    }

    private static ServiceDocument unavailable(String service, String reason) {
        Log.debugf("OpenAPI of %s left out of /q/openapi: %s", service, reason);
        return new ServiceDocument.Unavailable(service, reason);
    }

}
