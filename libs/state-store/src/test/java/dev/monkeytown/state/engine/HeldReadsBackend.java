package dev.monkeytown.state.engine;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.monkeytown.state.ForwardingBranchBackend;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;

/** Holds blob reads, and optionally head reads, until released: a backend slow to answer reads. */
final class HeldReadsBackend extends ForwardingBranchBackend {

    volatile boolean holdBlobs;
    volatile boolean holdHeads;
    final AtomicInteger heldBlobReads = new AtomicInteger();
    final AtomicInteger headReads = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    HeldReadsBackend(BranchBackend delegate) {
        super(delegate);
    }

    void release() {
        released.countDown();
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        headReads.incrementAndGet();
        if (holdHeads) {
            hold();
        }
        return super.readHead();
    }

    @Override
    public byte[] readBlob(String blobId) throws BackendException {
        if (holdBlobs) {
            heldBlobReads.incrementAndGet();
            hold();
        }
        return super.readBlob(blobId);
    }

    private void hold() throws BackendException {
        try {
            if (!released.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released the held reads");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted", e, true);
        }
    }
}
