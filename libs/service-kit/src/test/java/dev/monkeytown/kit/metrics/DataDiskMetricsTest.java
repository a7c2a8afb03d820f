package dev.monkeytown.kit.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class DataDiskMetricsTest {

    @TempDir
    Path tmp;

    @Test
    void anExistingDataDirectoryIsMeasuredItself() {
        assertEquals(tmp.toAbsolutePath().normalize(), DataDiskMetrics.measuredPath(tmp));
    }

    @Test
    void aDataDirectoryNotYetCreatedIsMeasuredOnTheFileSystemItWillLandOn() {
        assertEquals(tmp.toAbsolutePath().normalize(), DataDiskMetrics.measuredPath(tmp.resolve("not/yet/there")));
    }

    @Test
    void theGaugesReportTheFileSystemsRealSpace() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DataDiskMetrics().dataDisk(tmp.resolve("home")).bindTo(registry);

        double total = registry.get("disk.total").gauge().value();
        double free = registry.get("disk.free").gauge().value();
        assertEquals(tmp.toFile().getTotalSpace(), total);
        assertTrue(free > 0 && free <= total, () -> free + " free of " + total);
        assertEquals(tmp.toAbsolutePath().toString(), registry.get("disk.free").gauge().getId().getTag("path"));
    }
}
