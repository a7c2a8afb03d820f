package dev.monkeytown.kit.metrics;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Gives HTTP server timings a bucket at the spec's latency threshold (1 s), so the {@code LatencyHigh} alert can count
 * slow requests from {@code http_server_requests_seconds_bucket{le="1.0"}}. One fixed boundary instead of Micrometer's
 * percentile histogram: one extra series per route and status, not seventy.
 */
@Singleton
public class LatencyBuckets {

    /** The spec's "latency > 1 s" alert threshold. */
    static final Duration SLOW = Duration.ofSeconds(1);

    @Produces
    @Singleton
    MeterFilter httpServerSlowBucket() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(SLOW.toNanos())
                        .build()
                        .merge(config);
            }
        };
    }
}
