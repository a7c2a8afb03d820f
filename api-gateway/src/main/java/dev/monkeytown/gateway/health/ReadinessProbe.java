package dev.monkeytown.gateway.health;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

import dev.monkeytown.gateway.pipeline.DownstreamFailures;

/**
 * Asks one service's {@code /q/health/ready} and turns any answer, error or silence into a {@link ServiceHealth}. Never
 * fails: a probe that cannot reach its service reports it down with the reason.
 */
@ApplicationScoped
public class ReadinessProbe {

    static final String READY_PATH = "/q/health/ready";

    private final WebClient client;

    ReadinessProbe(Vertx vertx) {
        // no keep-alive pool tuning: probes are rare (one per /health call per service)
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(1_000).setFollowRedirects(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Uni<ServiceHealth> probe(URI base, Duration timeout) {
        long started = System.nanoTime();
        return client.getAbs(readinessUrl(base))
                .timeout(timeout.toMillis())
                .send()
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException())
                .map(response -> judge(response, elapsedMs(started)))
                .onFailure().recoverWithItem(
                        failure -> ServiceHealth.down(elapsedMs(started), DownstreamFailures.describe(failure, timeout)));
    }

    /** Appends the probe path, keeping any path prefix the base URL has (a service behind a path-routing proxy). */
    static String readinessUrl(URI base) {
        String url = base.toString();
        return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + READY_PATH;
    }

    private static ServiceHealth judge(HttpResponse<?> response, long latencyMs) {
        if (response.statusCode() == 200) {
            return ServiceHealth.up(latencyMs);
        }
        return ServiceHealth.down(latencyMs, "readiness answered HTTP " + response.statusCode() + failingChecks(response));
    }

    /** The names of the checks that reported DOWN, from the SmallRye Health body, when there is one. */
    private static String failingChecks(HttpResponse<?> response) {
        try {
            JsonArray checks = response.bodyAsJsonObject().getJsonArray("checks");
            if (checks == null || checks.isEmpty()) {
                return "";
            }
            String down = checks.stream()
                    .filter(JsonObject.class::isInstance)
                    .map(JsonObject.class::cast)
                    .filter(check -> !"UP".equals(check.getString("status")))
                    .map(check -> check.getString("name"))
                    .collect(Collectors.joining(", "));
            return down.isEmpty() ? "" : "; failing checks: " + down;
        } catch (RuntimeException notHealthJson) {
            return "";
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
