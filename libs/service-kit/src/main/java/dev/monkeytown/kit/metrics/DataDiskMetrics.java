package dev.monkeytown.kit.metrics;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;

/**
 * Reports the free and total space of the file system that holds the service's data directory
 * ({@code monkeytown.home}: the local state repository, run logs, upload spools) as {@code disk_free_bytes} and
 * {@code disk_total_bytes}, which the DiskUsageHigh alert reads. The service's own view is the one that matters: a
 * volume mounted into the pod may be invisible to node-exporter.
 */
@Singleton
public class DataDiskMetrics {

    @Produces
    @Singleton
    MeterBinder dataDisk(@ConfigProperty(name = "monkeytown.home", defaultValue = ".monkeytown") Path home) {
        return new DiskSpaceMetrics(measuredPath(home).toFile());
    }

    /**
     * The data directory, or the nearest existing directory above it: a service measured before it has written
     * anything (the gateway has no data of its own) still reports the file system its data would land on, instead of
     * zeros that would read as a full disk.
     */
    static Path measuredPath(Path home) {
        Path candidate = home.toAbsolutePath().normalize();
        while (candidate != null && !Files.isDirectory(candidate)) {
            candidate = candidate.getParent();
        }
        return candidate != null ? candidate : home.toAbsolutePath().getRoot();
    }
}
