package dev.monkeytown.kit.metrics;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Tags every meter with the service that produced it, so one Prometheus query can compare the six services without
 * relying on scrape-target labels.
 */
@Singleton
public class CommonTags {

    public static final String SERVICE = "service";

    @Produces
    @Singleton
    MeterFilter serviceTag(@ConfigProperty(name = "quarkus.application.name") String service) {
        return MeterFilter.commonTags(List.of(Tag.of(SERVICE, service)));
    }
}
