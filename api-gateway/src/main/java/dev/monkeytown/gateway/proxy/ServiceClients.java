package dev.monkeytown.gateway.proxy;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import dev.monkeytown.gateway.health.SuiteHealthConfig;

/**
 * One pooled keep-alive HTTP client per service, so a slow or saturated service exhausts only its own pool. Base URLs
 * come from the address book {@code /health} already uses.
 */
@ApplicationScoped
public class ServiceClients {

    /** Where a service is reached: its client and the base URL's parts. */
    record Target(String service, HttpClient client, String host, int port, boolean ssl, String basePath) {

        /** The service-side URI: the base URL's path prefix (if any) followed by the public path and query. */
        String uri(String path, String query) {
            return basePath + path + (query == null ? "" : "?" + query);
        }
    }

    private final Vertx vertx;
    private final SuiteHealthConfig addresses;
    private final ProxyConfig config;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    ServiceClients(Vertx vertx, SuiteHealthConfig addresses, ProxyConfig config) {
        this.vertx = vertx;
        this.addresses = addresses;
        this.config = config;
    }

    Target target(String service) {
        return targets.computeIfAbsent(service, this::create);
    }

    private Target create(String service) {
        SuiteHealthConfig.Downstream downstream = addresses.services().get(service);
        if (downstream == null) {
            throw new IllegalStateException("no URL configured for " + service
                    + " (monkeytown.gateway.health.services." + service + ".url)");
        }
        URI url = downstream.url();
        boolean ssl = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : (ssl ? 443 : 80);
        String basePath = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                // bodies pass through as the service encoded them
                .setDecompressionSupported(false)
                .setSsl(ssl);
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(config.servicePoolSize().getOrDefault(service, config.poolSize()))
                .setMaxWaitQueueSize(config.poolMaxWaiting());
        HttpClient client = vertx.createHttpClient(options, pool);
        return new Target(service, client, url.getHost(), port, ssl, basePath);
    }

    @PreDestroy
    void close() {
        targets.values().forEach(target -> target.client().close());
    }
}
