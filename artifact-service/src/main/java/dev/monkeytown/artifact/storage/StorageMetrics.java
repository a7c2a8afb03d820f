package dev.monkeytown.artifact.storage;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Bytes and blobs in and out: what pushes and pulls cost the registry. */
@Singleton
public class StorageMetrics {

    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter blobPushes;
    private final Counter blobPulls;

    StorageMetrics(MeterRegistry registry) {
        bytesIn = Counter.builder("monkeytown.artifacts.bytes.in").description("Blob bytes received and stored")
                .baseUnit("bytes").register(registry);
        bytesOut = Counter.builder("monkeytown.artifacts.bytes.out").description("Blob bytes sent to clients")
                .baseUnit("bytes").register(registry);
        blobPushes = Counter.builder("monkeytown.artifacts.blob.pushes").description("Blobs pushed")
                .register(registry);
        blobPulls = Counter.builder("monkeytown.artifacts.blob.pulls").description("Blob downloads started")
                .register(registry);
    }

    public void pushed(long bytes) {
        blobPushes.increment();
        bytesIn.increment(bytes);
    }

    public void pulled(long bytes) {
        blobPulls.increment();
        bytesOut.increment(bytes);
    }
}
