package dev.monkeytown.gateway.health;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for the five services behind the gateway: one WireMock server, each service under its own path prefix, so
 * a test decides per service whether it is ready, failing or hung.
 */
public class DownstreamServices implements QuarkusTestResourceLifecycleManager {

    static final List<String> NAMES = List.of("websocket-service", "agent-dispatcher", "build-service", "deploy-service",
            "artifact-service");

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        Map<String, String> config = new HashMap<>();
        for (String name : NAMES) {
            config.put("monkeytown.gateway.health.services." + name + ".url", server.baseUrl() + "/" + name);
            // one stub server plays both of the service's ports
            config.put("monkeytown.gateway.health.services." + name + ".management-url", server.baseUrl() + "/" + name);
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(Inject.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
