package dev.monkeytown.gateway.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;

import dev.monkeytown.kit.security.PublicEndpoint;

/**
 * {@code GET /health}: the readiness of all six services in one answer, for load balancers, uptime checks and people.
 * Every service is asked in parallel with a short timeout, so one hung service cannot hang the answer. The answer is
 * shared for {@code max-age} (2 s): it is public, and rate limited per address like the rest of the public port.
 */
@Path("/health")
@PublicEndpoint
@Singleton // one memoized answer for everybody
public class SuiteHealthResource {

    private final SuiteHealthConfig config;
    private final ReadinessProbe probe;
    private final SmallRyeHealthReporter ownHealth;
    private final String self;
    private final Uni<SuiteHealth> current;

    SuiteHealthResource(SuiteHealthConfig config, ReadinessProbe probe, SmallRyeHealthReporter ownHealth,
            @ConfigProperty(name = "quarkus.application.name") String self) {
        this.config = config;
        this.probe = probe;
        this.ownHealth = ownHealth;
        this.self = self;
        Uni<SuiteHealth> fresh = Uni.createFrom().deferred(this::probeAll);
        // memoized: one round of probes serves every caller until it is max-age old
        this.current = config.maxAge().isZero() ? fresh : fresh.memoize().atLeast(config.maxAge());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Readiness of every service in the suite")
    @APIResponse(responseCode = "200", description = "All services are ready")
    @APIResponse(responseCode = "503", description = "At least one service is down; the body says which and why")
    public Uni<RestResponse<SuiteHealth>> health() {
        return current.map(health -> RestResponse.ResponseBuilder.create(health.isUp()
                ? RestResponse.Status.OK
                : RestResponse.Status.SERVICE_UNAVAILABLE, health)
                .header("Cache-Control", "no-store")
                .build());
    }

    private Uni<SuiteHealth> probeAll() {
        List<String> names = new ArrayList<>();
        List<Uni<ServiceHealth>> probes = new ArrayList<>();
        names.add(self);
        probes.add(ownReadiness());
        config.services().forEach((name, downstream) -> {
            if (!name.equals(self)) {
                names.add(name);
                probes.add(probe.probe(downstream.managementUrl(), config.probeTimeout()));
            }
        });
        return Uni.join().all(probes).andFailFast().map(results -> {
            Map<String, ServiceHealth> byName = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), results.get(i));
            }
            return SuiteHealth.of(byName);
        });
    }

    /** The gateway answers for itself in-process: asking its own URL would report a sibling replica. */
    private Uni<ServiceHealth> ownReadiness() {
        long started = System.nanoTime();
        Duration timeout = config.probeTimeout();
        return ownHealth.getReadinessAsync()
                .ifNoItem().after(timeout).fail()
                .map(report -> {
                    long latency = (System.nanoTime() - started) / 1_000_000;
                    return report.isDown()
                            ? ServiceHealth.down(latency, "own readiness checks are DOWN")
                            : ServiceHealth.up(latency);
                })
                .onFailure().recoverWithItem(failure -> ServiceHealth.down((System.nanoTime() - started) / 1_000_000,
                        "own readiness check failed: " + failure.getClass().getSimpleName()));
    }
}
