package dev.monkeytown.artifact.storage;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import dev.monkeytown.artifact.oci.Digest;

/**
 * Blobs being stored right now. Garbage collection deletes an object only when it is not in flight, under the same
 * monitor, so a push of content that was just collected either finds the object still there or puts it back: it can
 * never record a link to an object deleted under it.
 */
@Singleton
public class InFlightBlobs {

    private final Map<Digest, Integer> holds = new HashMap<>();

    public synchronized void hold(Digest digest) {
        holds.merge(digest, 1, Integer::sum);
    }

    public synchronized void release(Digest digest) {
        holds.computeIfPresent(digest, (d, n) -> n == 1 ? null : n - 1);
    }

    public synchronized boolean isHeld(Digest digest) {
        return holds.containsKey(digest);
    }

    /** Runs {@code deletion} unless the blob is in flight; returns whether it ran. */
    public synchronized boolean deleteUnlessHeld(Digest digest, Deletion deletion) throws java.io.IOException {
        if (holds.containsKey(digest)) {
            return false;
        }
        deletion.run();
        return true;
    }

    @FunctionalInterface
    public interface Deletion {
        void run() throws java.io.IOException;
    }
}
