package dev.monkeytown.kit.ops;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

@Path("/internal/info")
@Singleton
public class ServiceInfoResource {

    private final String service;
    private final String version;
    private volatile Instant startedAt = Instant.now();

    ServiceInfoResource(@ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.service = service;
        this.version = version;
    }

    void started(@Observes StartupEvent event) {
        startedAt = Instant.now();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Name, version, profile and uptime of this instance")
    public ServiceInfo info() {
        Instant now = Instant.now();
        return new ServiceInfo(service, version, String.join(",", ConfigUtils.getProfiles()), startedAt,
                Duration.between(startedAt, now).toSeconds());
    }
}
